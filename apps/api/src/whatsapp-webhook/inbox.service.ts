import { Injectable } from '@nestjs/common';
import {
  INBOX_PAGE,
  type InboxEventView,
  type InboxListResponse,
  type InboxState,
} from '@conecta/contracts';
import { AppError } from '../common/errors/app-error';
import { ObjectId } from 'mongodb';
import { InboxRepository } from './inbox.repository';
import { InboxWorker } from './inbox.worker';
import type { InboxDoc } from './inbox.schema';
import type { WorkspaceId } from '../common/workspace-id';

function toView(doc: Omit<InboxDoc, 'event'>): InboxEventView {
  return {
    id: String(doc._id),
    kind: doc.kind,
    state: doc.state,
    externalId: doc.externalId,
    status: doc.status,
    phoneNumberId: doc.phoneNumberId,
    attempts: doc.attempts,
    lastError: doc.lastError,
    receivedAt: doc.receivedAt.toISOString(),
    runAt: doc.runAt.toISOString(),
    processedAt: doc.processedAt ? doc.processedAt.toISOString() : null,
  };
}

/** Admins' view of their workspace's inbox (list, replay a dead event), erasure and retention. */
@Injectable()
export class InboxService {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly worker: InboxWorker,
  ) {}

  /**
   * Queues a team member's stored reply for the workers, which send it like the bot's. Keyed by
   * the message id: queuing it again adds nothing. One queue per conversation keeps their order.
   */
  async enqueueAgentReply(reply: {
    workspaceId: WorkspaceId;
    integrationId: string;
    phoneNumberId: string;
    conversationId: string;
    messageId: string;
  }): Promise<void> {
    const now = new Date();
    const { inserted } = await this.inbox.insertMany([
      {
        key: `a:${reply.messageId}`,
        kind: 'agent',
        state: 'pending',
        queueKey: `a:${reply.conversationId}`,
        phoneNumberId: reply.phoneNumberId,
        externalId: reply.messageId,
        status: null,
        workspaceId: reply.workspaceId,
        integrationId: reply.integrationId,
        event: { kind: 'agent', messageId: reply.messageId, conversationId: reply.conversationId },
        correlationId: new ObjectId().toHexString(),
        receivedAt: now,
        runAt: now,
        attempts: 0,
        claimSeq: 0,
        leaseUntil: null,
        workerId: null,
        lastError: null,
        processedAt: null,
        progress: {},
      },
    ]);
    if (inserted > 0) this.worker.wake();
  }

  async list(
    workspaceId: WorkspaceId,
    state?: InboxState,
    limit?: number,
  ): Promise<InboxListResponse> {
    const docs = await this.inbox.list(workspaceId, state, limit ?? INBOX_PAGE.defaultLimit);
    return { items: docs.map(toView) };
  }

  async replay(workspaceId: WorkspaceId, id: string): Promise<InboxEventView> {
    const replayed = await this.inbox.replay(workspaceId, id);
    if (replayed) return toView(replayed);
    const existing = await this.inbox.findById(workspaceId, id);
    if (!existing) throw AppError.notFound('Inbox event');
    throw AppError.conflict(
      'NOT_DEAD',
      `Only dead events can be replayed; this one is ${existing.state}`,
    );
  }

  /** Erasure: whether any event of the workspace names this customer. */
  hasContact(workspaceId: WorkspaceId, waId: string): Promise<boolean> {
    return this.inbox.hasContact(workspaceId, waId);
  }

  /** Erasure: deletes every event of the workspace naming this customer; answers how many. */
  eraseContact(workspaceId: WorkspaceId, waId: string): Promise<number> {
    return this.inbox.eraseContact(workspaceId, waId);
  }

  /** Retention: deletes finished events processed before `cutoff`, in batches; answers how many. */
  async purgeFinishedBefore(cutoff: Date, batchSize: number, maxBatches = 1000): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const deleted = await this.inbox.purgeFinishedBefore(cutoff, batchSize);
      total += deleted;
      if (deleted < batchSize) break;
    }
    return total;
  }
}
