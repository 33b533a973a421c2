import type { IntegrationErrorType } from '@conecta/contracts';
import type { KnownOr } from '../types';

/** An error object from a `failed` status, a message's `errors[]` or `value.errors[]`. */
export interface WebhookErrorDetail {
  code: number;
  title?: string;
  message?: string;
  details?: string;
  href?: string;
  /** From {@link classifyGraphError}. */
  errorType: IntegrationErrorType;
  retryable: boolean;
}

/** Where an event came from: `entry[].id` and `value.metadata`. */
export interface WebhookContext {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber?: string;
}

export interface InboundMedia {
  id: string;
  mimeType?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  /** Short-lived direct URL (gradual rollout); it still needs the token. */
  url?: string;
  /** audio: a voice note. */
  voice?: boolean;
  /** sticker: animated. */
  animated?: boolean;
}

export type InboundMediaType = 'image' | 'video' | 'document' | 'audio' | 'sticker';

export interface SharedContact {
  name?: { formattedName?: string; firstName?: string; lastName?: string };
  phones: { phone?: string; waId?: string; type?: string }[];
  emails: { email?: string; type?: string }[];
  org?: { company?: string; department?: string; title?: string };
  urls: { url?: string; type?: string }[];
  birthday?: string;
}

export type InteractiveReply =
  | { type: 'button_reply'; id: string; title: string }
  | { type: 'list_reply'; id: string; title: string; description?: string }
  | { type: 'nfm_reply'; name?: string; body?: string; responseJson?: string }
  | { type: 'unknown'; originalType: string; raw: Record<string, unknown> };

export type InboundContent =
  | { type: 'text'; text: string }
  | { type: InboundMediaType; media: InboundMedia }
  | {
      type: 'location';
      location: {
        latitude: number;
        longitude: number;
        name?: string;
        address?: string;
        url?: string;
      };
    }
  | { type: 'contacts'; contacts: SharedContact[] }
  | { type: 'interactive'; interactive: InteractiveReply }
  /** A quick-reply button tapped in a template; `context.id` is the template's wamid. */
  | { type: 'button'; button: { text: string; payload?: string } }
  /** `emoji` is absent when the user removed the reaction. */
  | { type: 'reaction'; reaction: { messageId: string; emoji?: string } }
  | {
      type: 'order';
      order: {
        catalogId?: string;
        text?: string;
        items: {
          productRetailerId?: string;
          quantity?: number;
          itemPrice?: number;
          currency?: string;
        }[];
      };
    }
  | { type: 'system'; system: { body?: string; type?: string; waId?: string } }
  /** Meta's `unsupported` type, or a type this library does not know; `raw` is the message. */
  | { type: 'unsupported'; originalType: string; raw: Record<string, unknown> };

export interface InboundMessageEvent extends WebhookContext {
  kind: 'message';
  wamid: string;
  /** The user's phone; may be absent for users with a username (BSUID). */
  from?: string;
  /** The user's business-scoped user id (BSUID): `from_user_id`, else `contacts[].user_id`. */
  fromUserId?: string;
  /** `contacts[].wa_id` of the sender, when given (may differ from `from`). */
  waId?: string;
  contactName?: string;
  /** `contacts[].profile.username`, once the user adopted one (then the phone may be absent). */
  username?: string;
  /** Unix seconds, as a string. */
  timestamp: string;
  context?: {
    from?: string;
    /** wamid of the quoted or tapped message. */
    id?: string;
    forwarded?: boolean;
    frequentlyForwarded?: boolean;
    referredProduct?: { catalogId?: string; productRetailerId?: string };
  };
  /** Click-to-WhatsApp ad data: the customer tapped an ad to write (a free entry point). */
  referral?: AdReferral;
  errors?: WebhookErrorDetail[];
  content: InboundContent;
}

/** Meta's `referral` object of a click-to-WhatsApp message, in camelCase. */
export interface AdReferral {
  sourceUrl?: string;
  sourceId?: string;
  /** `ad` or `post`. */
  sourceType?: string;
  headline?: string;
  body?: string;
  /** `image` or `video`. */
  mediaType?: string;
  imageUrl?: string;
  videoUrl?: string;
  thumbnailUrl?: string;
  /** The click id Meta's conversions API takes back. */
  ctwaClid?: string;
}

export type OutboundStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played';

export interface StatusEvent extends WebhookContext {
  kind: 'status';
  wamid: string;
  status: KnownOr<OutboundStatus>;
  timestamp: string;
  recipientId?: string;
  recipientUserId?: string;
  recipientType?: string;
  bizOpaqueCallbackData?: string;
  conversation?: { id?: string; expirationTimestamp?: string; originType?: string };
  pricing?: { billable?: boolean; pricingModel?: string; type?: string; category?: string };
  errors: WebhookErrorDetail[];
}

export interface WebhookErrorEvent extends Omit<WebhookContext, 'phoneNumberId'> {
  kind: 'error';
  phoneNumberId?: string;
  error: WebhookErrorDetail;
}

/**
 * `smb_message_echoes`: the business answered from the WhatsApp Business app on a coexistence
 * number. `to` / `toUserId` is the customer.
 */
export interface MessageEchoEvent extends WebhookContext {
  kind: 'echo';
  wamid: string;
  to?: string;
  toUserId?: string;
  /** Unix seconds, as a string. */
  timestamp: string;
  content: InboundContent;
}

/** The non-`messages` fields Meta sends about a WABA and its numbers that Conecta keeps. */
export const NOTICE_FIELDS = [
  'message_template_status_update',
  'template_category_update',
  'account_update',
  'phone_number_quality_update',
  'account_alerts',
  'phone_number_name_update',
] as const;
export type NoticeField = (typeof NOTICE_FIELDS)[number];

/**
 * What one change of a management field says, in camelCase. Every value is Meta's raw code as a
 * string (unknown codes included, so they can be stored and shown as "unknown"); a value of an
 * unexpected type is dropped, never the change.
 */
export type AccountNotice =
  | {
      field: 'message_template_status_update';
      /** APPROVED, REJECTED, PAUSED, DISABLED, FLAGGED, … */
      event: string;
      templateId?: string;
      templateName?: string;
      language?: string;
      /** Rejection reason code (INVALID_FORMAT, …; NONE when paused). */
      reason?: string;
      category?: string;
      /** `other_info.title` of a pause (FIRST_PAUSE, …) and Meta's `description`. */
      title?: string;
      description?: string;
      /** `rejection_info`: Meta's explanation and recommendation. */
      rejectionDetail?: string;
      recommendation?: string;
      /** `disable_info.disable_date` (unix seconds). */
      disabledAt?: string;
    }
  | {
      field: 'template_category_update';
      templateId?: string;
      templateName?: string;
      language?: string;
      previousCategory?: string;
      /** The category Meta applied; absent on a notice of a change still to come. */
      newCategory?: string;
      /** A change announced ahead (`correct_category`): applied later, not now. */
      correctCategory?: string;
    }
  | {
      field: 'account_update';
      /** ACCOUNT_RESTRICTION, DISABLED_UPDATE, ACCOUNT_VIOLATION, ACCOUNT_DELETED, … */
      event: string;
      phoneNumber?: string;
      restrictions: { type: string; expiration?: string }[];
      /** `ban_info`: SCHEDULE_FOR_DISABLE, DISABLE, REINSTATE. */
      banState?: string;
      banDate?: string;
      violationType?: string;
      /** `partner_client_certification_info` (business verification): status and reasons. */
      verificationStatus?: string;
      verificationRejections?: string[];
    }
  | {
      field: 'phone_number_quality_update';
      /** FLAGGED, UNFLAGGED, DOWNGRADE, UPGRADE, ONBOARDING, THROUGHPUT_UPGRADE, … */
      event: string;
      displayPhoneNumber?: string;
      /** `max_daily_conversations_per_business`, else the deprecated `current_limit`. */
      limit?: string;
      oldLimit?: string;
    }
  | {
      field: 'account_alerts';
      entityType?: string;
      entityId?: string;
      severity?: string;
      /** ACTIVE or NONE (resolved). */
      status?: string;
      alertType: string;
      description?: string;
    }
  | {
      field: 'phone_number_name_update';
      /** APPROVED, REJECTED, DEFERRED, PENDING. */
      decision: string;
      displayPhoneNumber?: string;
      requestedName?: string;
      rejectionReason?: string;
    };

/**
 * A change of a management field (templates, account, quality, alerts, display name). It names a
 * WABA and at most a display number or an entity, never a `phone_number_id`.
 */
export interface AccountNoticeEvent {
  kind: 'notice';
  wabaId: string;
  phoneNumberId?: undefined;
  /** `entry[].time` (unix seconds) when Meta sent it. */
  time?: string;
  notice: AccountNotice;
}

export type WebhookEvent =
  InboundMessageEvent | StatusEvent | WebhookErrorEvent | MessageEchoEvent | AccountNoticeEvent;

export type WebhookValidationCode =
  'INVALID_JSON' | 'INVALID_SHAPE' | 'UNEXPECTED_OBJECT' | 'TOO_LARGE' | 'TOO_DEEP';

/** Why a webhook body was rejected; `path` points at the offending value. */
export class WebhookValidationError extends Error {
  override readonly name = 'WebhookValidationError';
  readonly code: WebhookValidationCode;
  readonly path: string;

  constructor(code: WebhookValidationCode, path: string, message: string) {
    super(`${path}: ${message}`);
    this.code = code;
    this.path = path;
  }

  toJSON(): { name: string; code: WebhookValidationCode; path: string; message: string } {
    return { name: this.name, code: this.code, path: this.path, message: this.message };
  }
}

export type ParseWebhookResult =
  | {
      ok: true;
      events: WebhookEvent[];
      /** Set when the signed body is for another Meta product (`object`); nothing was parsed. */
      ignoredObject?: string;
    }
  | { ok: false; error: WebhookValidationError };
