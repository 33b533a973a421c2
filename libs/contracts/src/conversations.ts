import type { ConsentEventView } from './consent';
import type { MediaFailureCode, MediaState } from './media';
import type { Channel } from './channels';
import type { FieldRule } from './rules';
import type { BotSwitchView, MessageSender } from './handoff';

/** `open`: the bot handles it; `pending`: waiting for a person; `closed`. */
export const CONVERSATION_STATUSES = ['open', 'pending', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const MESSAGE_ROLES = ['user', 'assistant'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/**
 * Delivery state of an outbound (assistant) message. It only moves forward,
 * pending < sent < delivered < read; `failed` is terminal.
 */
export const DELIVERY_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Order of the forward-only states; `failed` sits outside the order. */
export const DELIVERY_STATUS_RANK: Record<Exclude<DeliveryStatus, 'failed'>, number> = {
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
};

export const MEDIA_KINDS = ['image', 'audio', 'video', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Paging limits of the conversation and message lists. A larger `limit` is capped, not refused. */
export const CONVERSATION_PAGE = { defaultLimit: 20, maxLimit: 100 } as const;
export const MESSAGE_PAGE = { defaultLimit: 50, maxLimit: 200 } as const;

/** Shape of every cursor-paged answer. `nextCursor` is opaque; null when there is no further page. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Query rules shared by the API's DTOs and the SPA's search box. */
export const CONVERSATION_QUERY_RULES = {
  q: {
    required: false,
    maxLength: 100,
    // Control characters never belong in a search (a NUL once reached the database).
    pattern: /^\P{Cc}*$/u,
    format: 'plainText',
    patternMessage: 'must not contain control characters',
  },
  cursor: { required: false, maxLength: 200, pattern: /^[A-Za-z0-9_-]+$/ },
  chatbotId: { required: false, maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/ },
} satisfies Record<string, FieldRule>;

/** `GET /api/v1/conversations` query. `favorite` is sent as `true`/`false`. */
export interface ConversationListQuery {
  chatbotId?: string;
  channel?: Channel;
  status?: ConversationStatus;
  favorite?: boolean;
  /** `mine` (assigned to the caller), `unassigned`, or a user id. */
  assignee?: string;
  /** Searches contact names and message text (case-insensitive, literal). */
  q?: string;
  cursor?: string;
  limit?: number;
}

/** How long a conversation opened from a click-to-WhatsApp ad stays a free entry point (Meta: 72 h). */
export const FREE_ENTRY_POINT_WINDOW_MS = 72 * 3600_000;

/** The click-to-WhatsApp ad the customer tapped to write, as Meta sent it. */
export interface AdReferralView {
  sourceUrl: string | null;
  /** `ad` or `post`. */
  sourceType: string | null;
  headline: string | null;
  body: string | null;
  /** `image` or `video`. */
  mediaType: string | null;
  ctwaClid: string | null;
}

/** One row of the conversation list. Full phone numbers never appear: only {@link maskPhone}. */
export interface ConversationListItem {
  id: string;
  chatbotId: string;
  channel: Channel;
  /** The WhatsApp integration (number) the thread belongs to; null on the web channel. */
  integrationId: string | null;
  status: ConversationStatus;
  isFavorite: boolean;
  /** The WhatsApp profile name, when the channel gives one. */
  contactName: string | null;
  /** `•••• 1234` for phone-based channels; null otherwise. */
  maskedPhone: string | null;
  /** The WhatsApp username (`@…`), once the customer adopted one. */
  username: string | null;
  /**
   * What to show when there is no contact name: the username, else the masked phone, else a short
   * form of the business-scoped user id (or of the web visitor id).
   */
  visitorLabel: string;
  lastMessagePreview: string;
  lastMessageAt: string;
  /** The ad the customer came from, when the thread started at a click-to-WhatsApp ad. */
  adReferral: AdReferralView | null;
  /** End of the free-entry-point window (72 h from the ad message's Meta time); null otherwise. */
  freeEntryPointEndsAt: string | null;
  messageCount: number;
  /** The user the conversation is assigned to; null when unassigned. */
  assigneeId: string | null;
  /** Whether the bot answers this conversation now (see {@link BotSwitchView}). */
  bot: BotSwitchView;
  /** Customer messages the signed-in user has not read (0 for API keys). */
  unreadCount: number;
  /**
   * WhatsApp: when the 24-hour customer-service window closes (24 h after the last customer
   * message, by Meta's time); null when there is no window (web) or no customer message yet.
   */
  windowEndsAt: string | null;
  /** WhatsApp: whether the customer opted out of marketing, and every change (when, how). */
  marketingConsent: { optedOut: boolean; history: ConsentEventView[] };
  startedAt: string;
  endedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `GET /api/v1/conversations/:id`. */
export type ConversationView = ConversationListItem;

/** `GET /api/v1/conversations/counts`: conversations per channel plus the total, for the filter's badges. */
export type ChannelCounts = Record<Channel, number> & { all: number };

/**
 * `GET /api/v1/conversations/counts`: per channel, plus per state and the caller's own and the
 * unassigned conversations that are not closed.
 */
export type ConversationCounts = ChannelCounts & {
  states: Record<ConversationStatus, number>;
  mine: number;
  unassigned: number;
  /** Pending and assigned to nobody: waiting for a person (the browser tab shows it). */
  waiting: number;
};

/** `PATCH /api/v1/conversations/:id`. `status: 'closed'` closes, `'open'` reopens (bot answers again). */
export interface UpdateConversationRequest {
  isFavorite?: boolean;
  status?: ConversationStatus;
}

/** A shared location: shown as a link to a map, never with map tiles fetched by the dashboard. */
export interface MessageLocationView {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
}

/** A shared contact card. */
export interface SharedContactView {
  name: string | null;
  phones: string[];
  emails: string[];
  company: string | null;
}

/**
 * A message's file. `mimeType` is what the sender declared; `sniffedType` what the stored bytes
 * are (read from their first bytes), which decides how the dashboard serves them.
 */
export interface MessageMediaView {
  kind: MediaKind;
  mimeType: string | null;
  fileName: string | null;
  caption: string | null;
  /** A WhatsApp voice note (recorded in the app), not an audio file. */
  voice: boolean;
  state: MediaState;
  size: number | null;
  sniffedType: string | null;
  failureCode: MediaFailureCode | null;
  /** Meta's own words about the failure, when it gave some. */
  failureDetail: string | null;
  /** What a voice note says, when transcription is configured. */
  transcript: string | null;
}

/**
 * One message of a thread. `deliveryStatus` and `failureReason` are set on outbound WhatsApp
 * (assistant) messages; null elsewhere.
 */
export interface MessageView {
  id: string;
  conversationId: string;
  role: MessageRole;
  channel: Channel;
  content: string;
  createdAt: string;
  deliveryStatus: DeliveryStatus | null;
  /**
   * Meta's own words for a failed delivery (its `error_data.details`, else its `message`), as
   * received; null when Meta said none (the SPA words `failureCode`/`failureType`).
   */
  failureReason: string | null;
  /** Stable code of the failure (an IntegrationErrorType such as OUTSIDE_CUSTOMER_SERVICE_WINDOW). */
  failureType: string | null;
  /** Meta's error code of a failed delivery (131047, 131049, …); the SPA says what it means. */
  failureCode: number | null;
  /** Which part (1-based) of a reply split into several WhatsApp messages failed; null otherwise. */
  failedPart: number | null;
  media: MessageMediaView | null;
  location: MessageLocationView | null;
  sharedContacts: SharedContactView[] | null;
  /** True when the message quotes another one (a WhatsApp reply). */
  isReply: boolean;
  /**
   * An outgoing message the business wrote in the WhatsApp Business app (coexistence number), not
   * the bot: Meta echoed it to us (`smb_message_echoes`).
   */
  sentFromBusinessApp: boolean;
  /** A template send: which one (its `content` is the rendered text). */
  template: { name: string; language: string; category: string } | null;
  /** Who wrote it: the customer, the bot, a person of the team, or the WhatsApp Business app. */
  sender: MessageSender;
  /** The team member who wrote it (`sender: 'agent'`), as named when it was sent. */
  authorUserId: string | null;
  authorName: string | null;
  tokens: number | null;
  responseTime: number | null;
  firstTokenLatency: number | null;
}

/**
 * `GET /api/v1/conversations/:id/messages`: the first page holds the newest messages; `nextCursor`
 * fetches older ones. Items inside a page are oldest first, ready to render.
 */
export type MessagePage = CursorPage<MessageView>;

/** The public web chat: `POST /api/v1/public/chatbots/:publicId/messages`. */
export const PUBLIC_CHAT_RULES = {
  content: { required: true, minLength: 1, maxLength: 2000 },
  sessionId: {
    required: false,
    minLength: 8,
    maxLength: 64,
    pattern: /^[A-Za-z0-9_-]+$/,
    format: 'sessionId',
    patternMessage: 'must be 8 to 64 letters, digits, - or _',
  },
} satisfies Record<string, FieldRule>;

export interface PublicChatRequest {
  /** Omit on the first message; send back the returned one to continue the conversation. */
  sessionId?: string;
  content: string;
}

export interface PublicChatReply {
  id: string;
  content: string;
  createdAt: string;
}

export interface PublicChatResponse {
  sessionId: string;
  /** The bot's answer; null while a person of the team handles the conversation (poll for theirs). */
  reply: PublicChatReply | null;
}

/** `GET /api/v1/public/chatbots/:publicId/messages?sessionId=…&after=…`: the team's replies since `after`. */
export interface PublicChatPollResponse {
  items: PublicChatReply[];
}

/** `DELETE /api/v1/contacts/:channel/:visitorId`. */
export interface ContactErasureResult {
  conversationsDeleted: number;
  messagesDeleted: number;
  /**
   * Documents erased per collection: `whatsapp_inbox` counts raw webhook events (dead letters
   * included); `audit_log` counts entries whose contact label was replaced by `<channel>:erased`.
   */
  collections: {
    conversations: number;
    messages: number;
    whatsapp_inbox: number;
    audit_log: number;
    /** Kept message files (GridFS `media.files` and their chunks). */
    media_files: number;
  };
}

/** `GET /api/v1/contacts/:channel/:visitorId`: everything stored about one person, as JSON. */
export interface ContactExport {
  channel: Channel;
  maskedPhone: string | null;
  exportedAt: string;
  conversations: (ConversationView & { messages: MessageView[] })[];
  /** The kept files of these messages, their bytes in base64. */
  files: ContactExportFile[];
}

/** One kept file of a contact's export. */
export interface ContactExportFile {
  messageId: string;
  fileName: string;
  size: number;
  sha256: string;
  sniffedType: string | null;
  dataBase64: string;
}

/** Channels whose visitor id is a phone number (shown masked). */
export const PHONE_CHANNELS: readonly Channel[] = ['whatsapp'];

/** `•••• 1234`: the last four digits only; null when there are fewer than four digits. */
export function maskPhone(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  if (digits.length < 4) return null;
  return `•••• ${digits.slice(-4)}`;
}
