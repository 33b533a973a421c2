import type { EventsService, WorkspaceChange } from '../events/events.service';
import type { SearchTermEntry, SearchTermsRepository, TermBatch } from './search-terms.repository';

/**
 * The search terms and workspace events of one run of the message path (a new thread's contact,
 * the customer's message, the reply), written together by {@link flush}: one insert of terms and
 * one of events instead of one per step. The messages and counts themselves are written at once;
 * what waits here can be written again harmlessly (terms are unique, an event is a hint to
 * re-read), so a run that dies before its flush is made whole by the run that resumes it.
 * Callers that pass no batch (web chat, agent replies, echoes, the API) write at once.
 */
export class ConversationWriteBatch implements TermBatch {
  private terms: SearchTermEntry[] = [];
  private changes: WorkspaceChange[] = [];

  constructor(
    private readonly searchTerms: SearchTermsRepository,
    private readonly events: EventsService,
  ) {}

  addTerms(entries: SearchTermEntry[]): void {
    this.terms.push(...entries);
  }

  addChange(change: WorkspaceChange): void {
    this.changes.push(change);
  }

  /**
   * Writes what waits and empties the batch. The events go first: their write never throws
   * (see {@link EventsService.publishMany}); a failed terms write throws.
   */
  async flush(): Promise<void> {
    const { terms, changes } = this;
    this.terms = [];
    this.changes = [];
    await this.events.publishMany(changes);
    await this.searchTerms.insertTerms(terms);
  }
}
