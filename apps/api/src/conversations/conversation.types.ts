import type { ConsentSource, ConsentState } from '@conecta/contracts';
import type { TemplateComponent } from '@conecta/graph-client';
import type {
  AdReferralView,
  Channel,
  ConversationStatus,
  DeliveryStatus,
  MediaFailureCode,
  MediaKind,
  MediaState,
  MessageRole,
} from '@conecta/contracts';
import type { WorkspaceId } from '../common/workspace-id';

/** Meta's pricing fields of a status, kept for the cost view. */
export interface MessagePricing {
  billable?: boolean;
  pricingModel?: string;
  type?: string;
  category?: string;
}

/**
 * A message's file: Meta's media id (downloaded once, then kept in GridFS under the message's id),
 * where the file is, and what the SPA shows. `mimeType` is the declared type.
 */
export interface MessageMedia {
  id?: string;
  kind: MediaKind;
  mimeType?: string;
  fileName?: string;
  caption?: string;
  sha256?: string;
  voice?: boolean;
  /** Absent on messages stored before files were kept: read as `pending`. */
  state?: MediaState;
  size?: number;
  sniffedType?: string;
  failureCode?: MediaFailureCode;
  failureDetail?: string;
  transcript?: string;
}

/** A shared location of an inbound message. */
export interface MessageLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

/** A contact card shared in an inbound message. */
export interface SharedContactCard {
  name?: string;
  phones: string[];
  emails: string[];
  company?: string;
}

/** What the media step learned about a message's file. */
export type MessageMediaUpdate = Partial<
  Pick<
    MessageMedia,
    | 'id'
    | 'state'
    | 'size'
    | 'sniffedType'
    | 'sha256'
    | 'failureCode'
    | 'failureDetail'
    | 'transcript'
  >
>;

/** A conversation as the services see it (plain object, string ids). */
export interface ConversationRecord {
  id: string;
  workspaceId: WorkspaceId;
  chatbotId: string;
  channel: Channel;
  sessionId: string;
  /** The visitor: the WhatsApp number on `whatsapp`, the session on `web`. Never leaves the API. */
  visitorId: string;
  visitorIp: string | null;
  contactName: string | null;
  integrationId: string | null;
  /** WhatsApp: the phone may appear, change or vanish; the BSUID is the stable identity. */
  contactPhone: string | null;
  contactUserId: string | null;
  contactUsername: string | null;
  adReferral: AdReferralView | null;
  freeEntryPointEndsAt: Date | null;
  status: ConversationStatus;
  assigneeId: string | null;
  botPaused: boolean;
  botPausedUntil: Date | null;
  customerMessageCount: number;
  lastCustomerMessageAt: Date | null;
  marketingOptedOut: boolean;
  consentHistory: { state: ConsentState; via: ConsentSource; at: Date }[];
  isFavorite: boolean;
  messageCount: number;
  lastMessageAt: Date;
  lastMessagePreview: string;
  startedAt: Date;
  endedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A template send: what goes to Meta (the message's `content` is its rendered text). */
export interface MessageTemplateSend {
  name: string;
  language: string;
  category: string;
  /** Meta's `template.components` of the send, values in place. */
  components: TemplateComponent[];
}

export interface MessageRecord {
  id: string;
  workspaceId: WorkspaceId;
  conversationId: string;
  role: MessageRole;
  channel: Channel;
  content: string;
  deleted: boolean;
  picture: string | null;
  externalMessageId: string | null;
  media: MessageMedia | null;
  location: MessageLocation | null;
  sharedContacts: SharedContactCard[] | null;
  replyToExternalId: string | null;
  sentFromBusinessApp: boolean;
  authorUserId: string | null;
  authorName: string | null;
  deliveryStatus: DeliveryStatus | null;
  deliveryUpdatedAt: Date | null;
  errorCode: number | null;
  errorType: string | null;
  errorReason: string | null;
  /** 0-based index of the failed part of a split reply. */
  failedPart: number | null;
  pricing: MessagePricing | null;
  template: MessageTemplateSend | null;
  tokens: number | null;
  responseTime: number | null;
  firstTokenLatency: number | null;
  createdAt: Date;
}

export interface FindOrCreateConversationInput {
  workspaceId: WorkspaceId;
  chatbotId: string;
  channel: Channel;
  sessionId: string;
  visitorId: string;
  visitorIp?: string;
  contactName?: string;
  integrationId?: string;
  /** WhatsApp identity attributes to record (absent ones are left as they are). */
  contact?: WhatsAppContact;
  /** A click-to-WhatsApp ad message: its ad and the end of its free-entry-point window. */
  entryPoint?: { adReferral: AdReferralView; endsAt: Date };
}

export interface WhatsAppContact {
  phone?: string;
  userId?: string;
  username?: string;
}

export interface AddMessageInput {
  workspaceId: WorkspaceId;
  conversationId: string;
  role: MessageRole;
  channel: Channel;
  content: string;
  externalMessageId?: string;
  media?: MessageMedia;
  location?: MessageLocation;
  sharedContacts?: SharedContactCard[];
  replyToExternalId?: string;
  /** An echo of what the business wrote in the WhatsApp Business app. */
  sentFromBusinessApp?: boolean;
  /** A team member's reply. */
  author?: { userId: string; name: string };
  /** Unique per conversation: a second insert with it answers the stored message. */
  clientKey?: string;
  /** Sent as this template instead of text. */
  template?: MessageTemplateSend;
  deliveryStatus?: DeliveryStatus;
  tokens?: number;
  responseTime?: number;
  firstTokenLatency?: number;
  picture?: string;
  createdAt?: Date;
}

export type DeliveryUpdateStatus = Exclude<DeliveryStatus, 'pending'>;

export interface DeliveryUpdate {
  at: Date;
  errorCode?: number;
  errorType?: string;
  errorReason?: string;
  pricing?: MessagePricing;
}

export type DeliveryUpdateResult = 'applied' | 'stale' | 'unknown-message';

/** The integration a status webhook was verified for: its workspace and phone number id. */
export interface DeliveryScope {
  workspaceId: WorkspaceId;
  phoneNumberId: string;
}

export interface MessageFailure {
  errorCode?: number;
  errorType: string;
  /** Meta's own words, when it gave some. */
  errorReason?: string;
}

export interface ConversationFilter {
  chatbotId?: string;
  channel?: Channel;
  status?: ConversationStatus;
  favorite?: boolean;
  /** A user id, or null for the unassigned ones. */
  assigneeId?: string | null;
}

/** What changes a conversation's handling: state, assignee, bot switch. */
export interface ConversationHandlingPatch {
  status?: ConversationStatus;
  endedAt?: Date | null;
  assigneeId?: string | null;
  botPaused?: boolean;
  botPausedUntil?: Date | null;
}

/** A position in the conversation list: (lastMessageAt desc, _id desc). */
export interface ConversationCursor {
  at: Date;
  id: string;
}

/** A position in a thread: (createdAt, _id). */
export interface MessageCursor {
  at: Date;
  id: string;
}
