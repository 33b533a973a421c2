import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { DeliveryStatus } from '@conecta/contracts';
import { Model, Types } from 'mongoose';
import {
  defined,
  isDuplicateKeyError,
  oid,
  oids,
  workspaceOid,
} from '../database/repository-helpers';
import type {
  AddMessageInput,
  DeliveryUpdate,
  DeliveryUpdateResult,
  DeliveryUpdateStatus,
  MessageCursor,
  MessageMediaUpdate,
  MessageRecord,
} from './conversation.types';
import { Message, MessageDoc } from './message.schema';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';

/** The states a delivery status may move from: forward only, `failed` terminal. */
const ALLOWED_FROM: Record<DeliveryUpdateStatus, (DeliveryStatus | null)[]> = {
  sent: [null, 'pending'],
  delivered: [null, 'pending', 'sent'],
  read: [null, 'pending', 'sent', 'delivered'],
  failed: [null, 'pending', 'sent', 'delivered'],
};
const STATUS_TIME_FIELD: Record<
  DeliveryUpdateStatus,
  'sentAt' | 'deliveredAt' | 'readAt' | 'failedAt'
> = {
  sent: 'sentAt',
  delivered: 'deliveredAt',
  read: 'readAt',
  failed: 'failedAt',
};

function toMessage(d: MessageDoc): MessageRecord {
  return {
    id: d._id.toHexString(),
    workspaceId: workspaceIdOf(d.workspaceId),
    conversationId: d.conversationId.toHexString(),
    role: d.role,
    channel: d.channel,
    content: d.content ?? '',
    deleted: d.deleted ?? false,
    picture: d.picture ?? null,
    externalMessageId: d.externalMessageId ?? null,
    media: d.media ? { ...d.media } : null,
    location: d.location ? { ...d.location } : null,
    sharedContacts: d.sharedContacts ? d.sharedContacts.map((c) => ({ ...c })) : null,
    replyToExternalId: d.replyToExternalId ?? null,
    sentFromBusinessApp: d.sentFromBusinessApp ?? false,
    authorUserId: d.authorUserId ?? null,
    authorName: d.authorName ?? null,
    deliveryStatus: d.deliveryStatus ?? null,
    deliveryUpdatedAt: d.deliveryUpdatedAt ?? null,
    errorCode: d.errorCode ?? null,
    errorType: d.errorType ?? null,
    errorReason: d.errorReason ?? null,
    failedPart: d.failedPart ?? null,
    pricing: d.pricing ? { ...d.pricing } : null,
    template: d.template ?? null,
    tokens: d.tokens ?? null,
    responseTime: d.responseTime ?? null,
    firstTokenLatency: d.firstTokenLatency ?? null,
    createdAt: d.createdAt,
  };
}

/**
 * The only place that knows how messages are stored. Reads, updates and deletes take the workspace
 * id; the exceptions are named for what they are (`…AllWorkspaces` for the retention job).
 */
@Injectable()
export class MessagesRepository {
  constructor(@InjectModel(Message.name) private readonly messages: Model<Message>) {}

  /** Inserts a message; a duplicate `externalMessageId` answers the stored one and `created: false`. */
  async insertMessage(
    input: AddMessageInput,
    createdAt: Date,
  ): Promise<{ message: MessageRecord; created: boolean }> {
    const conversationId = oid(input.conversationId);
    if (!conversationId) throw new Error('a message needs the id of a stored conversation');
    // Written as the schema would store it (its defaults, ObjectIds, no undefined), without a
    // mongoose document per message: the hot path's cost (conversations-service e2e proves it).
    const doc = defined({
      _id: new Types.ObjectId(),
      workspaceId: workspaceOid(input.workspaceId),
      conversationId,
      role: input.role,
      channel: input.channel,
      content: input.content,
      deleted: false,
      picture: input.picture,
      externalMessageId: input.externalMessageId,
      media: input.media ? defined(input.media) : undefined,
      location: input.location ? defined(input.location) : undefined,
      sharedContacts: input.sharedContacts?.map((c) => defined(c)),
      replyToExternalId: input.replyToExternalId,
      sentFromBusinessApp: input.sentFromBusinessApp,
      authorUserId: input.author?.userId,
      authorName: input.author?.name,
      clientKey: input.clientKey,
      template: input.template,
      deliveryStatus: input.deliveryStatus,
      deliveryUpdatedAt: input.deliveryStatus ? createdAt : undefined,
      tokens: input.tokens,
      responseTime: input.responseTime,
      firstTokenLatency: input.firstTokenLatency,
      createdAt,
    }) as MessageDoc;
    try {
      await this.messages.collection.insertOne(doc);
      return { message: toMessage(doc), created: true };
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const key =
        input.clientKey !== undefined
          ? { clientKey: input.clientKey }
          : input.externalMessageId !== undefined
            ? { externalMessageId: input.externalMessageId }
            : null;
      if (!key) throw err;
      const existing = await this.messages
        .findOne({ ...key, workspaceId: input.workspaceId })
        .lean<MessageDoc>()
        .exec();
      if (!existing) throw err;
      return { message: toMessage(existing), created: false };
    }
  }

  /** The newest customer message's time (for threads stored before it was kept on the conversation). */
  async lastCustomerMessageAt(
    workspaceId: WorkspaceId,
    conversationId: string,
  ): Promise<Date | null> {
    const convId = oid(conversationId);
    if (!convId) return null;
    const doc = await this.messages
      .findOne({ conversationId: convId, workspaceId, role: 'user' }, { createdAt: 1 })
      .sort({ createdAt: -1 })
      .lean<Pick<MessageDoc, '_id' | 'createdAt'>>()
      .exec();
    return doc?.createdAt ?? null;
  }

  /** Agent messages of a web conversation written after `after` (the visitor's poll). */
  async agentMessagesAfter(
    workspaceId: WorkspaceId,
    conversationId: string,
    after: Date,
  ): Promise<MessageRecord[]> {
    const convId = oid(conversationId);
    if (!convId) return [];
    const docs = await this.messages
      .find({
        conversationId: convId,
        workspaceId,
        createdAt: { $gt: after },
        authorUserId: { $exists: true },
        deleted: { $ne: true },
      })
      .sort({ createdAt: 1, _id: 1 })
      .limit(50)
      .lean<MessageDoc[]>()
      .exec();
    return docs.map(toMessage);
  }

  async findMessage(workspaceId: WorkspaceId, id: string): Promise<MessageRecord | null> {
    const _id = oid(id);
    if (!_id) return null;
    const doc = await this.messages.findOne({ _id, workspaceId }).lean<MessageDoc>().exec();
    return doc ? toMessage(doc) : null;
  }

  /**
   * A page of a thread going back in time: messages before `cursor` (or the newest), newest first.
   */
  async messagesBefore(
    workspaceId: WorkspaceId,
    conversationId: string,
    cursor: MessageCursor | null,
    limit: number,
  ): Promise<MessageRecord[]> {
    const convId = oid(conversationId);
    if (!convId) return [];
    // Through the driver (the values are of their stored type): a returning customer's history.
    const filter: Record<string, unknown> = {
      conversationId: convId,
      workspaceId: workspaceOid(workspaceId),
      deleted: { $ne: true },
    };
    const cursorId = cursor ? oid(cursor.id) : null;
    if (cursor && cursorId) {
      filter.$or = [
        { createdAt: { $lt: cursor.at } },
        { createdAt: cursor.at, _id: { $lt: cursorId } },
      ];
    }
    const docs = (await this.messages.collection
      .find(filter, { sort: { createdAt: -1, _id: -1 }, limit })
      .toArray()) as MessageDoc[];
    return docs.map(toMessage);
  }

  async setExternalId(
    workspaceId: WorkspaceId,
    messageId: string,
    externalMessageId: string,
    now: Date,
  ): Promise<boolean> {
    const _id = oid(messageId);
    if (!_id) return false;
    const res = await this.messages.collection.updateOne(
      { _id, workspaceId: workspaceOid(workspaceId) },
      { $set: { externalMessageId, deliveryUpdatedAt: now } },
    );
    return res.matchedCount > 0;
  }

  /** Records what the media step learned about a message's file (state, size, type, transcript). */
  async updateMedia(
    workspaceId: WorkspaceId,
    messageId: string,
    update: MessageMediaUpdate,
  ): Promise<MessageRecord | null> {
    const _id = oid(messageId);
    if (!_id) return null;
    const set = Object.fromEntries(
      Object.entries(update)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [`media.${k}`, v]),
    );
    const doc = await this.messages
      .findOneAndUpdate(
        { _id, workspaceId, media: { $exists: true } },
        { $set: set },
        { new: true },
      )
      .lean<MessageDoc>()
      .exec();
    return doc ? toMessage(doc) : null;
  }

  /** Puts a failed message back to pending for a user's retry, clearing the failure. */
  async markPending(
    workspaceId: WorkspaceId,
    messageId: string,
    now: Date,
  ): Promise<MessageRecord | null> {
    const _id = oid(messageId);
    if (!_id) return null;
    const doc = await this.messages
      .findOneAndUpdate(
        { _id, workspaceId },
        {
          $set: { deliveryStatus: 'pending', deliveryUpdatedAt: now },
          $unset: { errorType: 1, errorReason: 1, errorCode: 1, failedAt: 1, failedPart: 1 },
        },
        { new: true },
      )
      .lean<MessageDoc>()
      .exec();
    return doc ? toMessage(doc) : null;
  }

  /** The message with this wamid in the workspace (for a status from Meta), or null. */
  async findByExternalId(
    workspaceId: WorkspaceId,
    externalMessageId: string,
  ): Promise<{ id: string; conversationId: string } | null> {
    const doc = await this.messages
      .findOne({ externalMessageId, workspaceId }, { conversationId: 1 })
      .lean<Pick<MessageDoc, '_id' | 'conversationId'>>()
      .exec();
    return doc
      ? { id: doc._id.toHexString(), conversationId: doc.conversationId.toHexString() }
      : null;
  }

  /**
   * Applies a status from Meta to a message found by {@link findByExternalId}, forward only (see
   * {@link ALLOWED_FROM}); a late status still brings the pricing the cost view needs.
   */
  async applyDeliveryStatus(
    workspaceId: WorkspaceId,
    id: string,
    status: DeliveryUpdateStatus,
    update: DeliveryUpdate,
  ): Promise<DeliveryUpdateResult> {
    const messageId = oid(id);
    if (!messageId) return 'unknown-message';
    const set = defined({
      deliveryStatus: status,
      deliveryUpdatedAt: update.at,
      [STATUS_TIME_FIELD[status]]: update.at,
      errorCode: status === 'failed' ? update.errorCode : undefined,
      errorType: status === 'failed' ? update.errorType : undefined,
      errorReason: status === 'failed' ? update.errorReason : undefined,
      pricing: update.pricing ? defined(update.pricing) : undefined,
    });
    const applied = await this.messages
      .updateOne(
        { _id: messageId, workspaceId, deliveryStatus: { $in: ALLOWED_FROM[status] } },
        { $set: set },
      )
      .exec();
    if (applied.matchedCount > 0) return 'applied';
    const existing = await this.messages
      .findOne({ _id: messageId, workspaceId }, { pricing: 1 })
      .lean<Pick<MessageDoc, '_id' | 'pricing'>>()
      .exec();
    if (!existing) return 'unknown-message';
    if (update.pricing && !existing.pricing) {
      await this.messages
        .updateOne(
          { _id: existing._id, workspaceId },
          { $set: { pricing: defined(update.pricing) } },
        )
        .exec();
    }
    return 'stale';
  }

  /** Deletes every message of these conversations of the workspace. */
  async deleteOfConversations(
    workspaceId: WorkspaceId,
    conversationIds: string[],
  ): Promise<number> {
    const result = await this.messages
      .deleteMany({ workspaceId, conversationId: { $in: oids(conversationIds) } })
      .exec();
    return result.deletedCount;
  }

  /** Every message of the given conversations of the workspace, oldest first. */
  async messagesOfConversations(
    workspaceId: WorkspaceId,
    conversationIds: string[],
  ): Promise<MessageRecord[]> {
    const ids = oids(conversationIds);
    if (ids.length === 0) return [];
    const docs = await this.messages
      .find({ workspaceId, conversationId: { $in: ids } })
      .sort({ createdAt: 1, _id: 1 })
      .lean<MessageDoc[]>()
      .exec();
    return docs.map(toMessage);
  }

  /**
   * Retention: deletes up to `batchSize` messages older than `cutoff` in any workspace; answers how
   * many it deleted per conversation.
   */
  async deleteOldMessagesAllWorkspaces(
    cutoff: Date,
    batchSize: number,
  ): Promise<Map<string, number>> {
    const batch = await this.messages
      .find({ createdAt: { $lt: cutoff } }, { _id: 1, conversationId: 1 })
      .limit(batchSize)
      .lean<Pick<MessageDoc, '_id' | 'conversationId'>[]>()
      .exec();
    const perConversation = new Map<string, number>();
    if (batch.length === 0) return perConversation;
    await this.messages.deleteMany({ _id: { $in: batch.map((m) => m._id) } }).exec();
    for (const m of batch) {
      const hex = m.conversationId.toHexString();
      perConversation.set(hex, (perConversation.get(hex) ?? 0) + 1);
    }
    return perConversation;
  }

  /** Outgoing messages of these conversations created in [from, to) that Meta priced. */
  async listPriced(
    workspaceId: WorkspaceId,
    conversationIds: readonly string[],
    from: Date,
    to: Date,
  ): Promise<MessageRecord[]> {
    if (conversationIds.length === 0) return [];
    const docs = await this.messages
      .find({
        workspaceId,
        conversationId: { $in: oids(conversationIds) },
        createdAt: { $gte: from, $lt: to },
        pricing: { $exists: true },
      })
      .lean<MessageDoc[]>()
      .exec();
    return docs.map(toMessage);
  }
}
