import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { ConversationStatus, WorkspaceEventType } from '@conecta/contracts';
import { type Collection, ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import type { WorkspaceId } from '../common/workspace-id';
import { workspaceOid } from '../database/repository-helpers';

export const EVENTS_COLLECTION = 'workspace_events';

export interface WorkspaceEventDoc {
  _id: ObjectId;
  workspaceId: ObjectId;
  type: WorkspaceEventType;
  conversationId: string | null;
  /** Set on `templates` events (absent on older documents). */
  integrationId?: string | null;
  messageId: string | null;
  status: ConversationStatus | null;
  at: Date;
}

/**
 * The workspace events the SSE endpoint streams. Stored, not emitted in memory: the process that
 * changed a conversation (a worker) is often not the one holding the browser's stream. Indexed by
 * (workspaceId, at) in migration 0013.
 */
@Injectable()
export class EventsRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get events(): Collection<WorkspaceEventDoc> {
    const db = this.connection.db;
    if (!db) throw new Error('database connection has no db handle');
    return db.collection<WorkspaceEventDoc>(EVENTS_COLLECTION);
  }

  /** Stores events in one write (a run's events go out together). */
  async insertMany(
    events: (Omit<WorkspaceEventDoc, '_id' | 'workspaceId'> & { workspaceId: WorkspaceId })[],
  ): Promise<void> {
    if (events.length === 0) return;
    await this.events.insertMany(
      events.map(({ workspaceId, ...event }) => ({
        ...event,
        _id: new ObjectId(),
        workspaceId: workspaceOid(workspaceId),
      })),
    );
  }

  /** The workspace's events stored at or after `since`, oldest first (bounded). */
  since(workspaceId: WorkspaceId, since: Date, limit: number): Promise<WorkspaceEventDoc[]> {
    return this.events
      .find(
        { workspaceId: workspaceOid(workspaceId), at: { $gte: since } },
        { sort: { at: 1 }, limit },
      )
      .toArray();
  }

  /** Forgets events older than `cutoff` (a stream only looks a few seconds back). */
  async purgeBefore(cutoff: Date): Promise<void> {
    await this.events.deleteMany({ at: { $lt: cutoff } });
  }
}
