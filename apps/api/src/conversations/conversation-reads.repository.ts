import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import type { WorkspaceId } from '../common/workspace-id';
import { workspaceOid } from '../database/repository-helpers';

export const CONVERSATION_READS_COLLECTION = 'conversation_reads';

/** How many customer messages of a conversation a user has read; `_id` is `<userId>:<conversationId>`. */
interface ConversationReadDoc {
  _id: string;
  workspaceId: ObjectId;
  userId: string;
  conversationId: string;
  readCount: number;
  at: Date;
}

/** Per-user read marks: a user's unread count is the conversation's customer messages minus these. */
@Injectable()
export class ConversationReadsRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get reads(): Collection<ConversationReadDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<ConversationReadDoc>(CONVERSATION_READS_COLLECTION);
  }

  /** The read counts of one user for these conversations of the workspace (absent: none read). */
  async readCounts(
    workspaceId: WorkspaceId,
    userId: string,
    conversationIds: string[],
  ): Promise<Map<string, number>> {
    if (conversationIds.length === 0) return new Map();
    const docs = await this.reads
      .find({
        _id: { $in: conversationIds.map((id) => `${userId}:${id}`) },
        workspaceId: workspaceOid(workspaceId),
      })
      .toArray();
    return new Map(docs.map((d) => [d.conversationId, d.readCount]));
  }

  async markRead(
    workspaceId: WorkspaceId,
    userId: string,
    conversationId: string,
    readCount: number,
    at: Date,
  ): Promise<void> {
    await this.reads.updateOne(
      { _id: `${userId}:${conversationId}` },
      { $set: { workspaceId: workspaceOid(workspaceId), userId, conversationId, readCount, at } },
      { upsert: true },
    );
  }
}
