/**
 * The Graph API versions this client and the fake Graph API are tested against, oldest first.
 * Meta keeps a version valid for about two years (v24.0 until 2028-02).
 */
export const GRAPH_API_VERSIONS = ['v24.0', 'v25.0', 'v26.0'] as const;
/** The newest tested version: the default of every client. */
export const DEFAULT_GRAPH_API_VERSION = 'v26.0';

/** A string union that still accepts values Meta adds later, without losing editor hints. */
export type KnownOr<T extends string> = T | (string & {});

/** Low-cardinality label of a Graph call, used in metrics, errors and the fake's `failNext`. */
export type GraphEndpoint =
  | 'phone_number'
  | 'business_account'
  | 'phone_numbers'
  | 'subscribed_apps'
  | 'message_templates'
  | 'messages'
  | 'media'
  | 'media_download';

export const GRAPH_ENDPOINTS: readonly GraphEndpoint[] = [
  'phone_number',
  'business_account',
  'phone_numbers',
  'subscribed_apps',
  'message_templates',
  'messages',
  'media',
  'media_download',
];

// ---------------------------------------------------------------------------------------------
// Phone numbers and business accounts
// ---------------------------------------------------------------------------------------------

/** Fields of the phone-number node (`GET /{phone-number-id}?fields=`). */
export type PhoneNumberField =
  | 'id'
  | 'display_phone_number'
  | 'verified_name'
  | 'code_verification_status'
  | 'quality_rating'
  | 'status'
  | 'platform_type'
  | 'throughput'
  | 'name_status'
  | 'webhook_configuration'
  | 'whatsapp_business_manager_messaging_limit'
  | 'account_mode';

/** Meta's own example field list; every one of them is documented. */
export const DEFAULT_PHONE_NUMBER_FIELDS: readonly PhoneNumberField[] = [
  'id',
  'display_phone_number',
  'verified_name',
  'code_verification_status',
  'quality_rating',
  'platform_type',
  'throughput',
  'status',
  'name_status',
];

export interface PhoneNumberDetails {
  id: string;
  displayPhoneNumber?: string;
  verifiedName?: string;
  codeVerificationStatus?: KnownOr<'VERIFIED' | 'NOT_VERIFIED' | 'EXPIRED'>;
  qualityRating?: KnownOr<'GREEN' | 'YELLOW' | 'RED' | 'NA' | 'UNKNOWN'>;
  /** Must be `CONNECTED` to send and receive. */
  status?: KnownOr<'CONNECTED'>;
  platformType?: KnownOr<'CLOUD_API'>;
  throughputLevel?: KnownOr<'STANDARD' | 'HIGH'>;
  nameStatus?: KnownOr<
    'APPROVED' | 'AVAILABLE_WITHOUT_REVIEW' | 'DECLINED' | 'EXPIRED' | 'PENDING_REVIEW' | 'NONE'
  >;
  messagingLimitTier?: string;
  accountMode?: KnownOr<'LIVE' | 'SANDBOX'>;
  webhookConfiguration?: {
    phoneNumber?: string;
    whatsappBusinessAccount?: string;
    application?: string;
  };
}

/** Fields of the WABA node (`GET /{waba-id}?fields=`). */
export type BusinessAccountField =
  | 'id'
  | 'name'
  | 'status'
  | 'currency'
  | 'country'
  | 'timezone_id'
  | 'message_template_namespace'
  | 'business_verification_status'
  | 'account_review_status'
  | 'ownership_type';

export const DEFAULT_BUSINESS_ACCOUNT_FIELDS: readonly BusinessAccountField[] = [
  'id',
  'name',
  'status',
  'currency',
  'country',
  'timezone_id',
  'message_template_namespace',
  'business_verification_status',
  'account_review_status',
];

export interface BusinessAccountDetails {
  id: string;
  name?: string;
  status?: string;
  currency?: string;
  country?: string;
  timezoneId?: string;
  messageTemplateNamespace?: string;
  businessVerificationStatus?: KnownOr<
    | 'expired'
    | 'failed'
    | 'ineligible'
    | 'not_verified'
    | 'pending'
    | 'pending_need_more_info'
    | 'pending_submission'
    | 'rejected'
    | 'revoked'
    | 'verified'
  >;
  accountReviewStatus?: string;
  ownershipType?: string;
}

export interface PhoneNumberPage {
  data: PhoneNumberDetails[];
  /** Pass as `after` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** A button of a template definition (`BUTTONS` component). */
export interface TemplateButtonDefinition {
  type: KnownOr<
    'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'COPY_CODE' | 'FLOW' | 'OTP' | 'CATALOG' | 'MPM'
  >;
  text?: string;
  /** URL buttons: may hold one `{{1}}` parameter at its end. */
  url?: string;
  phone_number?: string;
}

/** A component of a template definition, as `GET /{waba-id}/message_templates` returns it. */
export interface TemplateComponentDefinition {
  type: KnownOr<'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS'>;
  /** Headers: `TEXT`, `IMAGE`, `VIDEO`, `DOCUMENT` or `LOCATION`. */
  format?: KnownOr<'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION'>;
  /** With `{{1}}` (positional) or `{{name}}` (named) parameter slots. */
  text?: string;
  buttons?: TemplateButtonDefinition[];
  example?: Record<string, unknown>;
}

/** One template of a WABA (one name and language). */
export interface MessageTemplate {
  id: string;
  name: string;
  language: string;
  category: KnownOr<'MARKETING' | 'UTILITY' | 'AUTHENTICATION'>;
  status: KnownOr<
    'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED' | 'IN_APPEAL' | 'ARCHIVED'
  >;
  parameterFormat?: KnownOr<'POSITIONAL' | 'NAMED'>;
  components: TemplateComponentDefinition[];
  /** `quality_score.score`: `GREEN`, `YELLOW`, `RED` or `UNKNOWN`. */
  qualityScore?: string;
  rejectedReason?: string;
}

export interface MessageTemplatePage {
  data: MessageTemplate[];
  /** Pass as `after` to get the next page; absent on the last page. */
  nextCursor?: string;
}

export interface SubscribedApp {
  appId: string;
  name?: string;
  link?: string;
  overrideCallbackUri?: string;
}

export interface WebhookOverride {
  /** At most 200 characters. Meta sends its GET verification to it at once. */
  callbackUri: string;
  verifyToken: string;
}

// ---------------------------------------------------------------------------------------------
// Outbound messages (`POST /{phone-number-id}/messages`): Meta's JSON shape minus `messaging_product`.
// ---------------------------------------------------------------------------------------------

/** Exactly one of `id` (uploaded media, preferred) or `link` (HTTPS URL). */
export type MediaSource = { id: string; link?: never } | { link: string; id?: never };

export type TemplateParameter =
  | { type: 'text'; text: string; parameter_name?: string }
  | {
      type: 'currency';
      currency: { fallback_value: string; code: string; amount_1000: number };
      parameter_name?: string;
    }
  | { type: 'date_time'; date_time: { fallback_value: string }; parameter_name?: string }
  | { type: 'image'; image: MediaSource }
  | { type: 'video'; video: MediaSource }
  | { type: 'document'; document: MediaSource & { filename?: string } }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string }
  | { type: 'action'; action: Record<string, unknown> };

export type TemplateComponent =
  | { type: 'header' | 'body'; parameters: TemplateParameter[] }
  | {
      type: 'button';
      sub_type: KnownOr<'url' | 'quick_reply' | 'copy_code' | 'flow' | 'catalog' | 'mpm'>;
      index: string;
      parameters: TemplateParameter[];
    };

export interface TemplateContent {
  name: string;
  language: { code: string; policy?: 'deterministic' };
  components?: TemplateComponent[];
}

export type InteractiveHeader =
  | { type: 'text'; text: string }
  | { type: 'image'; image: MediaSource }
  | { type: 'video'; video: MediaSource }
  | { type: 'document'; document: MediaSource & { filename?: string } };

export interface InteractiveButtons {
  type: 'button';
  header?: InteractiveHeader;
  body: { text: string };
  footer?: { text: string };
  action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
}

export interface InteractiveList {
  type: 'list';
  header?: { type: 'text'; text: string };
  body: { text: string };
  footer?: { text: string };
  action: {
    button: string;
    sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
  };
}

export type OutboundContent =
  | { type: 'text'; text: { body: string; preview_url?: boolean } }
  | { type: 'image'; image: MediaSource & { caption?: string } }
  | { type: 'video'; video: MediaSource & { caption?: string } }
  | { type: 'document'; document: MediaSource & { caption?: string; filename?: string } }
  | { type: 'audio'; audio: MediaSource & { voice?: boolean } }
  | { type: 'sticker'; sticker: MediaSource }
  | { type: 'template'; template: TemplateContent }
  | { type: 'interactive'; interactive: InteractiveButtons | InteractiveList }
  | { type: 'reaction'; reaction: { message_id: string; emoji: string } };

/** A message to send. `to` should carry `+` and the country code. */
/**
 * Who a message goes to: the phone (`to`) when known, else the business-scoped user id
 * (`recipient`). Meta drops a BSUID put in `to`; with both, `to` wins.
 */
export type MessageRecipient =
  { phone: string; userId?: string } | { phone?: undefined; userId: string };

export type OutboundMessage = OutboundContent & {
  /** The user's phone (`+` and digits). */
  to?: string;
  /** The user's business-scoped user id (BSUID), when there is no phone. */
  recipient?: string;
  recipient_type?: 'individual' | 'group';
  /** Quoted reply: the wamid of the message being answered. */
  context?: { message_id: string };
  /** Echoed back in status webhooks (at most 512 bytes). */
  biz_opaque_callback_data?: string;
};

export type OutboundMessageType = OutboundContent['type'];

export interface SendMessageResult {
  /** The message id (`wamid.…`); status webhooks carry it. */
  wamid: string;
  /** The recipient's WhatsApp id as normalised by Meta (may differ from `input`). */
  waId?: string;
  /** The recipient's business-scoped user id, when sent with `recipient`. */
  userId?: string;
  /** The `to` value as Meta received it. */
  input?: string;
  /** Only for paced templates: `accepted` or `held_for_quality_assessment`. */
  messageStatus?: string;
}

// ---------------------------------------------------------------------------------------------
// Media
// ---------------------------------------------------------------------------------------------

export interface UploadMediaInput {
  data: Buffer;
  mimeType: string;
  filename: string;
}

export interface MediaUrl {
  id: string;
  /** Short-lived (5 minutes); download it with {@link WhatsAppGraphClient.downloadMedia}. */
  url: string;
  mimeType?: string;
  sha256?: string;
  fileSize?: number;
}

export interface DownloadedMedia {
  data: Buffer;
  contentType: string;
}
