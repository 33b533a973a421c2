import type { InboxEventKind, InboxState } from '@conecta/contracts';
import type { WebhookEvent } from '@conecta/graph-client';
import type { ObjectId } from 'mongodb';

export const INBOX_COLLECTION = 'whatsapp_inbox';
export const INBOX_CLAIMS_COLLECTION = 'whatsapp_inbox_claims';

/** What a message event's processing has already done; a retry resumes from here. */
export interface InboxProgress {
  conversationId?: string;
  userMessageId?: string;
  /** The user message is stored, marked read and the activity recorded. */
  stored?: boolean;
  /** The reply turn was merged into a newer message of the same customer. */
  merged?: boolean;
  replyMessageId?: string;
  /** wamids of the reply parts already accepted by Meta, by part index. */
  sentParts?: string[];
  /**
   * The reply part whose send was started and whose outcome is not recorded yet (stored before
   * the call to Meta). Found on a resumed run, that part may have reached the customer: it is
   * never sent blindly again. Null once settled.
   */
  sendingPart?: number | null;
  /** When (inbox clock, ms) that send was started. */
  sendingSince?: number | null;
  /** How many times a status has waited for its message to be stored. */
  statusWaits?: number;
  /**
   * The ids of this event's messages counted on their conversation, as recorded there (see
   * ConversationsRepository.recordMessagesOnConversation): the next run counts without a read.
   */
  counted?: { conversationId: string; ids: string };
}

/** A team member's reply to send, queued by the API in the inbox (the durable send path). */
export interface AgentReplyEvent {
  kind: 'agent';
  messageId: string;
  conversationId: string;
}

/**
 * One webhook event. `key` is unique: `m:<wamid>` for messages, `s:<phoneNumberId>:<wamid>:<status>` for statuses,
 * `e:<hash>` for errors. `queueKey` orders events: `phoneNumberId:waId` for the messages of one
 * conversation, `s:<wamid>` for the statuses of one sent message; null for errors.
 * Written with the plain driver (one insertMany per webhook), so this is an interface, not a
 * mongoose class.
 */
export interface InboxDoc {
  _id: ObjectId;
  key: string;
  kind: InboxEventKind;
  state: InboxState;
  queueKey: string | null;
  phoneNumberId: string;
  externalId: string;
  status: string | null;
  /** The integration's workspace (null when no integration had the number). */
  workspaceId: ObjectId | null;
  integrationId: string | null;
  event: WebhookEvent | AgentReplyEvent;
  correlationId: string;
  receivedAt: Date;
  runAt: Date;
  /**
   * Runs so far that did not end in a deliberate wait, those that died before writing the event
   * included (counted from claim numbers).
   */
  attempts: number;
  /**
   * The number of the claim that last wrote the event (a claim marks it with its first write);
   * the next claim inserts the unique claim `<_id>:<claimSeq + 1>`.
   */
  claimSeq: number;
  /** While a run that has written the event holds it (inbox clock); before that, its claim's `at`. */
  leaseUntil: Date | null;
  workerId: string | null;
  lastError: string | null;
  processedAt: Date | null;
  progress: InboxProgress;
}

/**
 * One claim of one event: `_id` is `<eventId>:<claimSeq>`. The unique `_id` makes a claim atomic
 * on servers whose findOneAndUpdate is not (FerretDB): of several workers inserting the same
 * claim, exactly one succeeds.
 */
export interface InboxClaimDoc {
  _id: string;
  workerId: string;
  /**
   * When the claim was made (inbox clock), renewed by its run until the run first writes the
   * event: the claim's lease until then (a lease after it, another claim may take the event).
   */
  at: Date;
}
