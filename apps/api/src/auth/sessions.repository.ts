import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '../database/repository-helpers';
import {
  KNOWN_LOGIN_SOURCE_MODEL,
  KnownLoginSourceDoc,
  LOGIN_FAILURE_MODEL,
  LoginFailureDoc,
  SESSION_MODEL,
  SessionDoc,
} from './session.schema';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';

export interface SessionRecord {
  id: string;
  userId: string;
  workspaceId: WorkspaceId;
  expiresAt: Date;
}

/** Sessions, failed-login slots and the places each account signed in from. */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectModel(SESSION_MODEL) private readonly sessions: Model<SessionDoc>,
    @InjectModel(LOGIN_FAILURE_MODEL) private readonly failures: Model<LoginFailureDoc>,
    @InjectModel(KNOWN_LOGIN_SOURCE_MODEL) private readonly known: Model<KnownLoginSourceDoc>,
  ) {}

  async create(input: {
    tokenHash: string;
    userId: string;
    workspaceId: WorkspaceId;
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
          workspaceId: workspaceIdOf(doc.workspaceId),
          expiresAt: doc.expiresAt,
        }
      : null;
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.sessions.deleteOne({ tokenHash }).exec();
  }

  /** Ends every session of a user, except the one whose token hashes to `exceptTokenHash`. */
  async deleteForUser(userId: string, exceptTokenHash?: string): Promise<number> {
    const filter: { userId: Types.ObjectId; tokenHash?: { $ne: string } } = {
      userId: new Types.ObjectId(userId),
    };
    if (exceptTokenHash) filter.tokenHash = { $ne: exceptTokenHash };
    const res = await this.sessions.deleteMany(filter).exec();
    return res.deletedCount;
  }

  async deleteExpired(now: Date): Promise<number> {
    const res = await this.sessions.deleteMany({ expiresAt: { $lt: now } }).exec();
    return res.deletedCount;
  }

  /**
   * Takes a free slot of `key` (one of `max`) for an attempt at `now`; a slot older than
   * `expiredBefore` is free again. Returns the slot's id, or null when all are taken, with the
   * time the oldest one frees up.
   */
  async takeSlot(
    key: string,
    max: number,
    now: Date,
    expiredBefore: Date,
  ): Promise<{ slotId: string } | { slotId: null; freeAt: Date }> {
    for (let n = 1; n <= max; n++) {
      const slotId = `${key}#${n}`;
      if (await this.insertSlot(slotId, key, now)) return { slotId };
      // Reclaim an expired slot: whoever inserts after the delete wins it, the others move on.
      const freed = await this.failures
        .deleteOne({ _id: slotId, at: { $lt: expiredBefore } })
        .exec();
      if (freed.deletedCount > 0 && (await this.insertSlot(slotId, key, now))) return { slotId };
    }
    const oldest = await this.failures
      .findOne({ key })
      .sort({ at: 1 })
      .lean<LoginFailureDoc>()
      .exec();
    return { slotId: null, freeAt: oldest?.at ?? now };
  }

  async releaseSlot(slotId: string): Promise<void> {
    await this.failures.deleteOne({ _id: slotId }).exec();
  }

  async clearSlots(key: string): Promise<void> {
    await this.failures.deleteMany({ key }).exec();
  }

  async rememberSource(source: string, at: Date): Promise<void> {
    try {
      await this.known.updateOne({ _id: source }, { $set: { at } }, { upsert: true }).exec();
    } catch (err) {
      // Two sign-ins from one place at once: the other upsert inserted it.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }

  async isKnownSource(source: string): Promise<boolean> {
    return (await this.known.countDocuments({ _id: source }).exec()) > 0;
  }

  private async insertSlot(slotId: string, key: string, at: Date): Promise<boolean> {
    try {
      await this.failures.create({ _id: slotId, key, at });
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }
}
