import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import type { WorkspaceId } from '../common/workspace-id';
import { isDuplicateKeyError, oid, workspaceOid } from '../database/repository-helpers';
import { Message, type MessageDoc } from './message.schema';
import {
  MESSAGE_PARTS_COLLECTION,
  MESSAGE_PART_STATUSES_COLLECTION,
  type MessagePartDoc,
  type MessagePartStatusDoc,
  type ShownStatus,
} from './message-parts';

/** A part or status to store; its workspace id as callers hold it (stored as an ObjectId). */
export type NewPartDoc<T extends { workspaceId: unknown }> = Omit<T, 'workspaceId'> & {
  workspaceId: WorkspaceId;
};

const TIME_FIELD = {
  sent: 'sentAt',
  delivered: 'deliveredAt',
  read: 'readAt',
  failed: 'failedAt',
} as const;

/**
 * The parts of split replies and their statuses (plain driver, insert-only, indexes in migration
 * 0012), and the one write of a reply's shown status.
 */
@Injectable()
export class MessagePartsRepository {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @InjectModel(Message.name) private readonly messages: Model<Message>,
  ) {}

  private collection<T extends { _id: string }>(name: string): Collection<T> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<T>(name);
  }

  private get parts(): Collection<MessagePartDoc> {
    return this.collection<MessagePartDoc>(MESSAGE_PARTS_COLLECTION);
  }

  private get statuses(): Collection<MessagePartStatusDoc> {
    return this.collection<MessagePartStatusDoc>(MESSAGE_PART_STATUSES_COLLECTION);
  }

  /** Inserts a document once; false when it was already there. */
  private async insertOnce<T extends { _id: string }>(
    target: Collection<T>,
    doc: T,
  ): Promise<boolean> {
    try {
      await target.insertOne(doc as Parameters<Collection<T>['insertOne']>[0]);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw err;
    }
  }

  insertPart(doc: NewPartDoc<MessagePartDoc>): Promise<boolean> {
    return this.insertOnce(this.parts, { ...doc, workspaceId: workspaceOid(doc.workspaceId) });
  }

  insertStatus(doc: NewPartDoc<MessagePartStatusDoc>): Promise<boolean> {
    return this.insertOnce(this.statuses, { ...doc, workspaceId: workspaceOid(doc.workspaceId) });
  }

  findPart(wamid: string): Promise<MessagePartDoc | null> {
    return this.parts.findOne({ _id: wamid });
  }

  partsOf(messageId: string): Promise<MessagePartDoc[]> {
    return this.parts.find({ messageId }).toArray();
  }

  /** The parts sent of each of these replies (equality lookups on the messageId index). */
  async partCounts(messageIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (messageIds.length === 0) return counts;
    const parts = await this.parts
      .find({ messageId: { $in: [...messageIds] } }, { projection: { messageId: 1, count: 1 } })
      .toArray();
    for (const p of parts) counts.set(p.messageId, Math.max(counts.get(p.messageId) ?? 0, p.count));
    return counts;
  }

  statusesOf(messageId: string): Promise<MessagePartStatusDoc[]> {
    return this.statuses.find({ messageId }).toArray();
  }

  /** Forgets a reply's parts from `index` on, and their statuses (a retry sends them again). */
  async forgetFrom(messageId: string, index: number): Promise<void> {
    const gone = await this.parts.find({ messageId, index: { $gte: index } }).toArray();
    if (gone.length === 0) return;
    await this.statuses.deleteMany({ wamid: { $in: gone.map((p) => p._id) } });
    await this.parts.deleteMany({ messageId, index: { $gte: index } });
  }

  async shownStatusOf(workspaceId: WorkspaceId, messageId: string): Promise<string | null> {
    const _id = oid(messageId);
    if (!_id) return null;
    const doc = await this.messages
      .findOne({ _id, workspaceId: workspaceOid(workspaceId) }, { deliveryStatus: 1 })
      .lean<Pick<MessageDoc, '_id' | 'deliveryStatus'>>()
      .exec();
    return doc?.deliveryStatus ?? null;
  }

  /** Writes a reply's shown status, its time and (when failed) the failed part's reason. */
  async writeShown(
    workspaceId: WorkspaceId,
    messageId: string,
    shown: ShownStatus,
    extra: { pricing?: MessageDoc['pricing']; now: Date },
  ): Promise<void> {
    const _id = oid(messageId);
    if (!_id) return;
    const set: Record<string, unknown> = {
      deliveryStatus: shown.status,
      deliveryUpdatedAt: extra.now,
    };
    if (shown.status !== 'pending' && shown.at) set[TIME_FIELD[shown.status]] = shown.at;
    if (shown.failure) {
      const f = shown.failure;
      if (f.errorCode !== undefined) set.errorCode = f.errorCode;
      if (f.errorType !== undefined) set.errorType = f.errorType;
      if (f.errorReason !== undefined) set.errorReason = f.errorReason;
      set.failedPart = f.part;
    }
    if (extra.pricing) set.pricing = extra.pricing;
    await this.messages
      .updateOne({ _id, workspaceId: workspaceOid(workspaceId) }, { $set: set })
      .exec();
  }
}
