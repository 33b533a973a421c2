import { Injectable } from '@nestjs/common';
import { type WorkspaceId, workspaceIdOf } from '../common/workspace-id';
import type {
  DeliveryScope,
  DeliveryUpdate,
  DeliveryUpdateResult,
  DeliveryUpdateStatus,
  MessageFailure,
} from './conversation.types';
import { type MessagePartStatusDoc, shownStatus } from './message-parts';
import { EventsService } from '../events/events.service';
import { MessagePartsRepository } from './message-parts.repository';
import { MessagesRepository } from './messages.repository';

/** How many times a reply's shown status is recomputed when concurrent statuses keep arriving. */
const MAX_ROUNDS = 8;

function sameStatuses(a: MessagePartStatusDoc[], b: MessagePartStatusDoc[]): boolean {
  if (a.length !== b.length) return false;
  const ids = new Set(a.map((s) => s._id));
  return b.every((s) => ids.has(s._id));
}

/**
 * Every part of a split WhatsApp reply is tracked by its own wamid. A part's status is one
 * document written by a unique insert (`<wamid>|<status>`), never an update; the reply's shown
 * status (the least advanced part, or `failed` with the failed part's reason) is recomputed from
 * all of them after each insert, and the writer re-reads until what it wrote matches the set it
 * read. FerretDB updates are whole-document read-modify-writes, so "compare and set" cannot be
 * trusted; a monotonic recompute from insert-only facts can: the last writer always saw every
 * status inserted before its re-read, and any later insert has its own writer after it.
 */
@Injectable()
export class MessagePartsService {
  constructor(
    private readonly repo: MessagePartsRepository,
    private readonly messages: MessagesRepository,
    private readonly events: EventsService,
  ) {}

  /** How many WhatsApp messages each reply went as (1 when it has no tracked parts). */
  async partCounts(messageIds: readonly string[]): Promise<Map<string, number>> {
    return this.repo.partCounts(messageIds);
  }

  /** Records a part Meta accepted (before anything else may look it up by wamid). */
  async recordPart(input: {
    workspaceId: WorkspaceId;
    messageId: string;
    phoneNumberId: string;
    index: number;
    count: number;
    wamid: string;
  }): Promise<void> {
    await this.repo.insertPart({
      _id: input.wamid,
      workspaceId: input.workspaceId,
      messageId: input.messageId,
      phoneNumberId: input.phoneNumberId,
      index: input.index,
      count: input.count,
      at: new Date(),
    });
  }

  /**
   * A part Meta refused when it was sent: recorded as that part's `failed` status under a
   * stand-in id (it has no wamid), so it shows on the reply like an asynchronous failure.
   */
  async recordRefusedPart(input: {
    workspaceId: WorkspaceId;
    messageId: string;
    phoneNumberId: string;
    index: number;
    count: number;
    failure: MessageFailure;
  }): Promise<void> {
    const wamid = `refused:${input.messageId}:${input.index}`;
    await this.recordPart({ ...input, wamid });
    await this.repo.insertStatus({
      _id: `${wamid}|failed`,
      workspaceId: input.workspaceId,
      messageId: input.messageId,
      wamid,
      status: 'failed',
      at: new Date(),
      ...input.failure,
    });
    await this.refresh(input.workspaceId, input.messageId);
  }

  /** The wamids of a reply's parts Meta accepted, in order from the first, up to the first gap. */
  async recordedWamids(messageId: string): Promise<string[]> {
    const byIndex = new Map((await this.repo.partsOf(messageId)).map((p) => [p.index, p._id]));
    const wamids: string[] = [];
    for (let i = 0; ; i++) {
      const wamid = byIndex.get(i);
      if (!wamid || wamid.startsWith('refused:')) return wamids;
      wamids.push(wamid);
    }
  }

  /**
   * Before a user's retry: the wamids of the parts that can stay (the longest run from the first
   * part that Meta accepted and never reported failed); every later part is forgotten, to be sent
   * again with a new wamid. The customer does not get the good first parts twice.
   */
  async keepForRetry(messageId: string): Promise<string[]> {
    const [parts, statuses] = await Promise.all([
      this.repo.partsOf(messageId),
      this.repo.statusesOf(messageId),
    ]);
    const failed = new Set(statuses.filter((s) => s.status === 'failed').map((s) => s.wamid));
    const byIndex = new Map(parts.map((p) => [p.index, p]));
    const kept: string[] = [];
    for (let i = 0; ; i++) {
      const part = byIndex.get(i);
      if (!part || part._id.startsWith('refused:') || failed.has(part._id)) break;
      kept.push(part._id);
    }
    // Nothing to resend by the parts' account (a failure recorded some other way): send it all.
    const count = Math.max(0, ...parts.map((p) => p.count));
    if (kept.length >= count) kept.length = 0;
    await this.repo.forgetFrom(messageId, kept.length);
    return kept;
  }

  /**
   * Applies a status from Meta to the part with this wamid, if it is a tracked part sent from
   * the scope's number and workspace; `untracked` sends the caller to the single-wamid path.
   */
  async applyStatus(
    scope: DeliveryScope,
    wamid: string,
    status: DeliveryUpdateStatus,
    update: DeliveryUpdate,
  ): Promise<DeliveryUpdateResult | 'untracked'> {
    const part = await this.repo.findPart(wamid);
    if (!part) return 'untracked';
    const workspaceId = workspaceIdOf(part.workspaceId);
    if (workspaceId !== scope.workspaceId || part.phoneNumberId !== scope.phoneNumberId) {
      return 'unknown-message';
    }
    const inserted = await this.repo.insertStatus({
      _id: `${wamid}|${status}`,
      workspaceId,
      messageId: part.messageId,
      wamid,
      status,
      at: update.at,
      ...(status === 'failed'
        ? {
            ...(update.errorCode !== undefined ? { errorCode: update.errorCode } : {}),
            ...(update.errorType !== undefined ? { errorType: update.errorType } : {}),
            ...(update.errorReason !== undefined ? { errorReason: update.errorReason } : {}),
          }
        : {}),
      ...(update.pricing ? { pricing: update.pricing } : {}),
    });
    // A repeated status still recomputes: its first processing may have died before writing.
    await this.refresh(workspaceId, part.messageId, update.pricing);
    if (!inserted) return 'stale';
    // Open dashboards follow statuses through the event stream, as on the single-wamid path.
    const message = await this.messages.findMessage(workspaceId, part.messageId);
    if (message) {
      await this.events.publish(workspaceId, 'status', message.conversationId, {
        messageId: part.messageId,
      });
    }
    return 'applied';
  }

  /** Recomputes and writes a reply's shown status until it matches a fresh read of its parts. */
  async refresh(
    workspaceId: WorkspaceId,
    messageId: string,
    pricing?: DeliveryUpdate['pricing'],
  ): Promise<void> {
    let statuses = await this.repo.statusesOf(messageId);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const parts = await this.repo.partsOf(messageId);
      const count = Math.max(0, ...parts.map((p) => p.count));
      const shown = shownStatus(parts, count, statuses);
      await this.repo.writeShown(workspaceId, messageId, shown, {
        now: new Date(),
        ...(pricing ? { pricing } : {}),
      });
      const again = await this.repo.statusesOf(messageId);
      const stored = await this.repo.shownStatusOf(workspaceId, messageId);
      if (sameStatuses(statuses, again) && stored === shown.status) return;
      statuses = again;
    }
  }
}
