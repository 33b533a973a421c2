import { Injectable, Logger } from '@nestjs/common';
import type { ConversationStatus, WorkspaceEvent, WorkspaceEventType } from '@conecta/contracts';
import { Observable } from 'rxjs';
import type { WorkspaceId } from '../common/workspace-id';
import { EventsRepository, type WorkspaceEventDoc } from './events.repository';

/** How often a stream reads new events, and how far back it looks (writes of other processes land late). */
export const EVENTS_POLL_MS = 1000;
const LOOKBACK_MS = 5000;
const KEEP_MS = 3600_000;
const BATCH = 200;

function toView(d: WorkspaceEventDoc): WorkspaceEvent {
  return {
    id: d._id.toHexString(),
    type: d.type,
    conversationId: d.conversationId,
    integrationId: d.integrationId ?? null,
    messageId: d.messageId,
    status: d.status,
    at: d.at.toISOString(),
  };
}

/** A change of a conversation to announce on the workspace's event stream. */
export interface WorkspaceChange {
  workspaceId: WorkspaceId;
  type: WorkspaceEventType;
  conversationId: string;
  messageId?: string;
  status?: ConversationStatus;
}

/** Workspace events: written by whichever process changed something, read by every SSE stream. */
@Injectable()
export class EventsService {
  private readonly logger = new Logger('Events');

  constructor(private readonly repo: EventsRepository) {}

  /** Records a change; a failure is logged, never thrown (the change itself is already stored). */
  publish(
    workspaceId: WorkspaceId,
    type: WorkspaceEventType,
    conversationId: string,
    extra: { messageId?: string; status?: ConversationStatus } = {},
  ): Promise<void> {
    return this.publishMany([{ workspaceId, type, conversationId, ...extra }]);
  }

  /** Records changes in one write, as {@link publish} does each (logged, never thrown). */
  async publishMany(changes: WorkspaceChange[]): Promise<void> {
    if (changes.length === 0) return;
    // Real time, not the injected clock, and the time of the write: streams read by wall time.
    const at = new Date();
    try {
      await this.repo.insertMany(
        changes.map((c) => ({
          workspaceId: c.workspaceId,
          type: c.type,
          conversationId: c.conversationId,
          messageId: c.messageId ?? null,
          status: c.status ?? null,
          at,
        })),
      );
    } catch (err) {
      const types = [...new Set(changes.map((c) => c.type))];
      this.logger.warn({ err: (err as Error).name, types }, 'could not record a workspace event');
    }
  }

  /** Records that a number's templates changed (an open composer or settings page re-reads them). */
  async publishTemplates(workspaceId: WorkspaceId, integrationId: string): Promise<void> {
    try {
      await this.repo.insertMany([
        {
          workspaceId,
          type: 'templates',
          conversationId: null,
          integrationId,
          messageId: null,
          status: null,
          at: new Date(),
        },
      ]);
    } catch (err) {
      this.logger.warn({ err: (err as Error).name }, 'could not record a templates event');
    }
  }

  /** Retention: forgets events older than an hour before `now` (a stream looks seconds back). */
  purge(now: Date): Promise<void> {
    return this.repo.purgeBefore(new Date(now.getTime() - KEEP_MS));
  }

  /** The workspace's events from now on, each once, polled from the database. */
  stream(workspaceId: WorkspaceId): Observable<WorkspaceEvent> {
    return new Observable<WorkspaceEvent>((subscriber) => {
      const seen = new Map<string, number>();
      let cursor = new Date();
      let busy = false;
      const poll = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        try {
          const now = Date.now();
          const docs = await this.repo.since(
            workspaceId,
            new Date(cursor.getTime() - LOOKBACK_MS),
            BATCH,
          );
          for (const d of docs) {
            const id = d._id.toHexString();
            if (seen.has(id)) continue;
            seen.set(id, d.at.getTime());
            subscriber.next(toView(d));
          }
          cursor = new Date(now);
          for (const [id, at] of seen) if (at < now - 2 * LOOKBACK_MS) seen.delete(id);
        } catch (err) {
          this.logger.warn({ err: (err as Error).name }, 'event poll failed');
        } finally {
          busy = false;
        }
      };
      const timer = setInterval(() => void poll(), EVENTS_POLL_MS);
      return () => clearInterval(timer);
    });
  }
}
