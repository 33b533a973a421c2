import type { EventsService, WorkspaceChange } from '../events/events.service';
import type { WorkspaceId } from '../common/workspace-id';
import type { ConversationsRepository } from './conversations.repository';
import type { SearchTermEntry, SearchTermsRepository, TermBatch } from './search-terms.repository';

/** A message to count on its conversation (see ConversationsRepository.recordMessagesOnConversation). */
export interface MessageCount {
  workspaceId: WorkspaceId;
  conversationId: string;
  id: string;
  at: Date;
  preview: string;
  fromCustomer: boolean;
}

/** The ids counted for an event on its conversation, as recorded there. */
export interface CountedMessages {
  conversationId: string;
  ids: string;
}

/** The inbox run a batch belongs to. */
export interface BatchRun {
  /** Its event. */
  by: string;
  /** An earlier run of the event may have stored and counted messages. */
  resumed: boolean;
  /** What the event's earlier runs recorded as counted (its inbox progress). */
  counted?: CountedMessages;
  /** Records what is counted now, with the run's next inbox write. */
  onCounted?: (counted: CountedMessages) => Promise<void>;
}

/**
 * The message counts, search terms and workspace events of one run of the message path (a new
 * thread's contact, the customer's message, the reply), written together by {@link flush}: one
 * conversation update, one insert of terms and one of events instead of one each per step. The
 * messages themselves are written at once; what waits here can be written again harmlessly
 * (counts are recorded with the run that made them, terms are unique, an event is a hint to
 * re-read), so a run that dies before its flush is made whole by the run that resumes it.
 * Callers that pass no batch (web chat, agent replies, echoes, the API) write at once; a batch
 * without a run (none today) counts at once too.
 */
export class ConversationWriteBatch implements TermBatch {
  private terms: SearchTermEntry[] = [];
  private changes: WorkspaceChange[] = [];
  private counts: MessageCount[] = [];
  private counted: CountedMessages | undefined;

  constructor(
    private readonly searchTerms: SearchTermsRepository,
    private readonly events: EventsService,
    private readonly conversations: ConversationsRepository,
    readonly run?: BatchRun,
  ) {
    this.counted = run?.counted;
  }

  /** Whether a message found stored (not inserted by this run) may still need counting. */
  get resumed(): boolean {
    return this.run?.resumed ?? false;
  }

  addTerms(entries: SearchTermEntry[]): void {
    this.terms.push(...entries);
  }

  addChange(change: WorkspaceChange): void {
    this.changes.push(change);
  }

  /** False when the batch has no run to record its counts with: the caller counts at once. */
  addCount(count: MessageCount): boolean {
    if (!this.run) return false;
    if (!this.counts.some((c) => c.id === count.id)) this.counts.push(count);
    return true;
  }

  /**
   * Writes what waits and empties the batch. The counts go first (an event tells dashboards to
   * read them), then the events, whose write never throws (see {@link EventsService.publishMany});
   * a failed count or terms write throws.
   */
  async flush(): Promise<void> {
    const { terms, changes, counts, run } = this;
    this.terms = [];
    this.changes = [];
    this.counts = [];
    // Only a batch with a run holds counts. A run writes into one conversation; grouped all the
    // same.
    for (const conversationId of new Set(counts.map((c) => c.conversationId))) {
      if (!run) break;
      const mine = counts.filter((c) => c.conversationId === conversationId);
      const prior = this.counted?.conversationId === conversationId ? this.counted.ids : undefined;
      const ids = await this.conversations.recordMessagesOnConversation(
        mine[0].workspaceId,
        conversationId,
        mine,
        new Date(),
        { by: run.by, prior },
      );
      if (ids !== undefined && ids !== prior) {
        this.counted = { conversationId, ids };
        await run.onCounted?.(this.counted);
      }
    }
    await this.events.publishMany(changes);
    await this.searchTerms.insertTerms(terms);
  }
}
