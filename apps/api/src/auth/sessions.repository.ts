import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { LOGIN_ATTEMPT_MODEL, LoginAttemptDoc, SESSION_MODEL, SessionDoc } from './session.schema';

export interface SessionRecord {
  id: string;
  userId: string;
  workspaceId: string;
  expiresAt: Date;
}

/** Sessions and failed-login counters. */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectModel(SESSION_MODEL) private readonly sessions: Model<SessionDoc>,
    @InjectModel(LOGIN_ATTEMPT_MODEL) private readonly attempts: Model<LoginAttemptDoc>,
  ) {}

  async create(input: {
    tokenHash: string;
    userId: string;
    workspaceId: string;
    ip: string | null;
    expiresAt: Date;
  }): Promise<void> {
    await this.sessions.create({
      ...input,
      userId: new Types.ObjectId(input.userId),
      workspaceId: new Types.ObjectId(input.workspaceId),
      createdAt: new Date(),
    });
  }

  /** The session of a token hash (the hash is the credential, so no workspace scope). */
  async findByTokenHash(tokenHash: string): Promise<SessionRecord | null> {
    const doc = await this.sessions.findOne({ tokenHash }).lean<SessionDoc>().exec();
    return doc
      ? {
          id: doc._id.toHexString(),
          userId: doc.userId.toHexString(),
          workspaceId: doc.workspaceId.toHexString(),
          expiresAt: doc.expiresAt,
        }
      : null;
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.sessions.deleteOne({ tokenHash }).exec();
  }

  async deleteExpired(now: Date): Promise<number> {
    const res = await this.sessions.deleteMany({ expiresAt: { $lt: now } }).exec();
    return res.deletedCount;
  }

  async findAttempt(key: string): Promise<LoginAttemptDoc | null> {
    return this.attempts.findById(key).lean<LoginAttemptDoc>().exec();
  }

  /** Adds one failure; a window older than `windowStartAfter` starts over. Returns the new count. */
  async addFailure(key: string, now: Date, windowStartAfter: Date): Promise<number> {
    await this.attempts
      .deleteOne({ _id: key, windowStart: { $lt: windowStartAfter }, lockedUntil: null })
      .exec();
    await this.attempts
      .deleteOne({ _id: key, windowStart: { $lt: windowStartAfter }, lockedUntil: { $lt: now } })
      .exec();
    const doc = await this.attempts
      .findOneAndUpdate(
        { _id: key },
        { $inc: { failures: 1 }, $setOnInsert: { windowStart: now, lockedUntil: null } },
        { upsert: true, new: true },
      )
      .lean<LoginAttemptDoc>()
      .exec();
    return doc?.failures ?? 1;
  }

  async lock(key: string, until: Date): Promise<void> {
    await this.attempts.updateOne({ _id: key }, { $set: { lockedUntil: until } }).exec();
  }

  async clearAttempts(key: string): Promise<void> {
    await this.attempts.deleteOne({ _id: key }).exec();
  }
}
