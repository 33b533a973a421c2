import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ObjectId, type Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { workspaceIdOf, type WorkspaceId } from '../common/workspace-id';
import { isDuplicateKeyError } from '../database/repository-helpers';

export const MEDIA_DOWNLOADS_COLLECTION = 'media_downloads';
export const MEDIA_DOWNLOAD_CLAIMS_COLLECTION = 'media_download_claims';

/**
 * One inbound file to fetch from Meta and keep. `_id` is the message id: a message is downloaded
 * by at most one job, however often its webhook is processed.
 */
interface MediaDownloadDoc {
  _id: string;
  workspaceId: ObjectId;
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

/** A download job as services see it (the workspace as a {@link WorkspaceId}). */
export type MediaDownloadJob = Omit<MediaDownloadDoc, 'workspaceId'> & { workspaceId: WorkspaceId };

export type NewMediaDownload = Pick<
  MediaDownloadJob,
  '_id' | 'workspaceId' | 'conversationId' | 'integrationId' | 'phoneNumberId' | 'mediaId'
>;

function toJob(doc: MediaDownloadDoc): MediaDownloadJob {
  return { ...doc, workspaceId: workspaceIdOf(doc.workspaceId) };
}

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
        workspaceId: new ObjectId(input.workspaceId),
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

  /** Due jobs of every workspace (the worker serves them all). */
  async dueAnyWorkspace(now: Date, limit: number): Promise<MediaDownloadJob[]> {
    const docs = await this.jobs
      .find({ state: 'pending', runAt: { $lte: now } })
      .sort({ runAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toJob);
  }

  /** Takes the job's next attempt; null when another process took it first. */
  async claim(job: MediaDownloadJob, now: Date, leaseMs: number): Promise<MediaDownloadJob | null> {
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

  async find(workspaceId: WorkspaceId, messageId: string): Promise<MediaDownloadJob | null> {
    const doc = await this.jobs.findOne({ _id: messageId, workspaceId: new ObjectId(workspaceId) });
    return doc ? toJob(doc) : null;
  }

  /** Erasure: the jobs of these conversations. */
  async deleteForConversations(
    workspaceId: WorkspaceId,
    conversationIds: string[],
  ): Promise<number> {
    if (conversationIds.length === 0) return 0;
    const { deletedCount } = await this.jobs.deleteMany({
      workspaceId: new ObjectId(workspaceId),
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
