/**
 * The WhatsApp webhook inbox: every message and status Meta delivers is stored here before the
 * webhook is acknowledged, then processed by workers (see docs/decisions/0003-durable-inbox.md).
 */
export const INBOX_STATES = ['pending', 'processing', 'done', 'ignored', 'dead'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

/** `agent`: a team member's reply waiting to be sent (not from Meta: queued by the API). */
export const INBOX_EVENT_KINDS = ['message', 'status', 'error', 'echo', 'notice', 'agent'] as const;
export type InboxEventKind = (typeof INBOX_EVENT_KINDS)[number];

/** Paging of `GET /api/v1/admin/inbox`. */
export const INBOX_PAGE = { defaultLimit: 50, maxLimit: 200 } as const;

/** `GET /api/v1/admin/inbox` query. */
export interface InboxListQuery {
  state?: InboxState;
  limit?: number;
}

/** One inbox event as admins see it: no message bodies, no phone numbers. */
export interface InboxEventView {
  id: string;
  kind: InboxEventKind;
  state: InboxState;
  /** The wamid the event is about. */
  externalId: string;
  /** For statuses: sent, delivered, read, failed, played. */
  status: string | null;
  phoneNumberId: string;
  attempts: number;
  lastError: string | null;
  receivedAt: string;
  runAt: string;
  processedAt: string | null;
}

export interface InboxListResponse {
  items: InboxEventView[];
}

/** Why `POST /api/v1/messages/:id/retry` refused (the error body's `details.reason`). */
export const MESSAGE_RETRY_REFUSALS = [
  'NOT_FAILED',
  'NOT_AN_ASSISTANT_MESSAGE',
  'OUTSIDE_CUSTOMER_SERVICE_WINDOW',
  'NOT_RETRYABLE',
  'NO_ACTIVE_INTEGRATION',
] as const;
export type MessageRetryRefusal = (typeof MESSAGE_RETRY_REFUSALS)[number];

/** Answer of a successful `POST /api/v1/messages/:id/retry`: Meta accepted it; statuses follow. */
export interface MessageRetryResponse {
  id: string;
  deliveryStatus: 'pending';
  externalMessageId: string;
}
