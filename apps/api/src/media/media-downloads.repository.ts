import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../database/repository-helpers';

export const MEDIA_DOWNLOADS_COLLECTION = 'media_downloads';
export const MEDIA_DOWNLOAD_CLAIMS_COLLECTION = 'media_download_claims';

/**
 * One inbound file to fetch from Meta and keep. `_id` is the message id: a message is downloaded
 * by at most one job, however often its webhook is processed.
 */
export interface MediaDownloadDoc {
  _id: string;
  workspaceId: string;
  conversationId: string;
  integrationId: string;
  phoneNumberId: string;
  mediaId: string;
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  runAt: Date;
  createdAt: Date;
  lastError: string | null;
}

export type NewMediaDownload = Pick<
  MediaDownloadDoc,
  '_id' | 'workspaceId' | 'conversationId' | 'integrationId' | 'phoneNumberId' | 'mediaId'
>;

/**
 * The durable queue of inbound downloads. A run claims its attempt by inserting the unique
 * `<messageId>:<attempt>` (FerretDB's updates are not atomic, unique inserts are), then pushes
 * `runAt` past a lease so that a process that dies mid-download leaves the job due again.
 */
@Injectable()
export class MediaDownloadsRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private collection<T extends object>(name: string): Collection<T> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<T>(name);
  }

  private get jobs(): Collection<MediaDownloadDoc> {
    return this.collection<MediaDownloadDoc>(MEDIA_DOWNLOADS_COLLECTION);
  }

  /** Queues a download; false when the message already has one. */
  async enqueue(input: NewMediaDownload, now: Date): Promise<boolean> {
    try {
      await this.jobs.insertOne({
        ...input,
        state: 'pending',
        attempts: 0,
        runAt: now,
        createdAt: now,
        lastError: null,
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async due(now: Date, limit: number): Promise<MediaDownloadDoc[]> {
    return this.jobs
      .find({ state: 'pending', runAt: { $lte: now } })
      .sort({ runAt: 1 })
      .limit(limit)
      .toArray();
  }

  /** Takes the job's next attempt; null when another process took it first. */
  async claim(job: MediaDownloadDoc, now: Date, leaseMs: number): Promise<MediaDownloadDoc | null> {
    const attempt = job.attempts + 1;
    try {
      await this.collection<{ _id: string; at: Date }>(MEDIA_DOWNLOAD_CLAIMS_COLLECTION).insertOne({
        _id: `${job._id}:${attempt}`,
        at: now,
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) return null;
      throw error;
    }
    const runAt = new Date(now.getTime() + leaseMs);
    await this.jobs.updateOne({ _id: job._id }, { $set: { attempts: attempt, runAt } });
    return { ...job, attempts: attempt, runAt };
  }

  async finish(id: string, state: 'done' | 'failed', lastError: string | null): Promise<void> {
    await this.jobs.updateOne({ _id: id }, { $set: { state, lastError } });
    await this.collection<{ _id: string }>(MEDIA_DOWNLOAD_CLAIMS_COLLECTION).deleteMany({
      _id: { $regex: `^${id}:` },
    });
  }

  async reschedule(id: string, runAt: Date, lastError: string): Promise<void> {
    await this.jobs.updateOne({ _id: id }, { $set: { runAt, lastError } });
  }

  async find(workspaceId: string, messageId: string): Promise<MediaDownloadDoc | null> {
    return this.jobs.findOne({ _id: messageId, workspaceId });
  }

  /** Erasure: the jobs of these conversations. */
  async deleteForConversations(workspaceId: string, conversationIds: string[]): Promise<number> {
    if (conversationIds.length === 0) return 0;
    const { deletedCount } = await this.jobs.deleteMany({
      workspaceId,
      conversationId: { $in: conversationIds },
    });
    return deletedCount;
  }

  /** Retention: finished jobs older than `cutoff`, every workspace. */
  async deleteFinishedBeforeAllWorkspaces(cutoff: Date): Promise<number> {
    const { deletedCount } = await this.jobs.deleteMany({
      state: { $in: ['done', 'failed'] },
      createdAt: { $lt: cutoff },
    });
    return deletedCount;
  }
}
