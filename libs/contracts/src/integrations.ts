import type { AccountHealth } from './account-notices';
import type { Platform } from './channels';
import type { IntegrationErrorType } from './errors';
import type { FieldRule } from './rules';

/** What the dashboard shows for an integration. `disconnected` = switched off by a user. */
export const INTEGRATION_STATUSES = ['connected', 'disconnected', 'error'] as const;
export type IntegrationStatusValue = (typeof INTEGRATION_STATUSES)[number];

/**
 * Field formats of the WhatsApp credentials form, shared by the API's DTOs and the SPA's resolver.
 * Meta access tokens start with `EA` (user, system-user and page tokens alike).
 */
export const INTEGRATION_RULES = {
  chatbotId: {
    required: true,
    pattern: /^[a-f0-9]{24}$/,
    format: 'objectId',
    patternMessage: 'must be a chatbot id',
  },
  phoneNumberId: {
    required: true,
    minLength: 5,
    maxLength: 25,
    pattern: /^\d+$/,
    format: 'digits',
    patternMessage: 'must contain only digits (Phone number ID in WhatsApp Manager)',
  },
  businessAccountId: {
    required: true,
    minLength: 5,
    maxLength: 25,
    pattern: /^\d+$/,
    format: 'digits',
    patternMessage: 'must contain only digits (WhatsApp Business Account ID)',
  },
  accessToken: {
    required: true,
    minLength: 20,
    maxLength: 2048,
    pattern: /^EA[A-Za-z0-9_-]+$/,
    format: 'metaAccessToken',
    patternMessage: 'must be a Meta access token (it starts with "EA")',
  },
  appSecret: {
    required: false,
    pattern: /^[a-fA-F0-9]{32}$/,
    format: 'hex32',
    patternMessage: 'must be the 32 hexadecimal characters of the Meta app secret',
  },
  webhookVerifyToken: {
    required: false,
    minLength: 8,
    maxLength: 128,
    pattern: /^[A-Za-z0-9._~-]+$/,
    format: 'verifyToken',
    patternMessage: 'may contain only letters, digits and . _ ~ -',
  },
} satisfies Record<string, FieldRule>;

export type IntegrationField = keyof typeof INTEGRATION_RULES;

/** The number and account as Meta described them at the last successful test. */
export interface ConnectionDetails {
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  businessName: string | null;
  qualityRating: string | null;
  codeVerificationStatus: string | null;
  /** Meta's phone number status; must be `CONNECTED` to send and receive. */
  phoneStatus: string | null;
  platformType: string | null;
  throughputLevel: string | null;
  nameStatus: string | null;
}

/** An integration as the API shows it: never the token or the app secret. */
export interface IntegrationStatus {
  id: string;
  platform: Platform;
  chatbotId: string;
  status: IntegrationStatusValue;
  isActive: boolean;
  phoneNumberId: string;
  businessAccountId: string;
  /** Last four characters of the access token, for recognising it. */
  tokenLast4: string;
  /** False: the server-wide WHATSAPP_APP_SECRET verifies this number's webhooks. */
  hasAppSecret: boolean;
  /** The values to paste into Meta's dashboard (App → WhatsApp → Configuration). */
  /** `verifyToken` is null for agents: only admins may read it. */
  webhook: { callbackUrl: string; verifyToken: string | null };
  connection: ConnectionDetails | null;
  /** What Meta's management webhooks said about the account and number (quality, limits, alerts…). */
  account: AccountHealth;
  /** Why the integration is in error; the SPA words it (es, en). */
  errorType: IntegrationErrorType | null;
  lastActivity: string | null;
  lastTestedAt: string | null;
  lastWebhookAt: string | null;
  lastSendOkAt: string | null;
  subscribedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export const CONNECTION_CHECKS = [
  /** The phone number id exists and the token can read it. */
  'phone_number_found',
  /** Meta says the number can send and receive (status CONNECTED, code verified). */
  'phone_number_ready',
  /** The token can read the business account (whatsapp_business_management). */
  'business_account_access',
  /** The number is one of the business account's numbers. */
  'phone_number_in_account',
  /** Our app receives the account's webhooks (subscribed_apps). */
  'app_subscribed',
] as const;
export type ConnectionCheckName = (typeof CONNECTION_CHECKS)[number];

/** What a check adds to its outcome; the SPA words it (es, en) with Meta's own values. */
export const CONNECTION_CHECK_NOTES = [
  /** The number's status or code verification is not CONNECTED / VERIFIED (see the values). */
  'PHONE_STATUS',
  /** The app was not subscribed to the account's webhooks; it was subscribed again. */
  'RESUBSCRIBED',
  /** Not subscribed yet: saving subscribes the app. */
  'NOT_SUBSCRIBED_YET',
  /** The subscription could not be read. */
  'SUBSCRIPTION_UNREADABLE',
] as const;
export type ConnectionCheckNote = (typeof CONNECTION_CHECK_NOTES)[number];

export interface ConnectionCheck {
  name: ConnectionCheckName;
  outcome: 'passed' | 'failed' | 'warning' | 'skipped';
  note?: ConnectionCheckNote;
  /** Meta's values behind a `PHONE_STATUS` note (`CONNECTED`, `VERIFIED`, …), as Meta sent them. */
  phoneStatus?: string | null;
  codeVerificationStatus?: string | null;
}

/**
 * Why a connection test failed, naming the field to fix and why; the SPA words each one (es, en).
 * A wrong account id is not a token without permissions.
 */
export const CONNECTION_FAILURE_REASONS = [
  /** The token is invalid or expired (Meta 190 / 0). */
  'TOKEN_INVALID',
  /** The token lacks whatsapp_business_management / messaging (Meta 3, 10, 200–299). */
  'TOKEN_LACKS_PERMISSION',
  /** No phone number with this id, or the token cannot see it (Meta 100/33 on the number). */
  'PHONE_NUMBER_NOT_FOUND',
  /** No WhatsApp Business Account with this id, or it is not assigned to the token's user (100/33). */
  'BUSINESS_ACCOUNT_NOT_FOUND',
  /** The number exists but is not one of the account's numbers. */
  'PHONE_NUMBER_NOT_IN_ACCOUNT',
  /** Meta reports the number as not registered, disconnected or deleted. */
  'PHONE_NUMBER_NOT_REGISTERED',
  /** The number or the account is banned or restricted. */
  'ACCOUNT_RESTRICTED',
  /** Meta refused to subscribe the app to the account's webhooks. */
  'SUBSCRIPTION_FAILED',
  /** Meta limited the calls; try again later. */
  'RATE_LIMITED',
  /** Meta did not answer in time, or answered with a server error. */
  'META_UNAVAILABLE',
  /** Meta answered something else (its detail is logged). */
  'UNKNOWN',
] as const;
export type ConnectionFailureReason = (typeof CONNECTION_FAILURE_REASONS)[number];

/** The answer of "Test connection" (saved or unsaved credentials). */
export interface ConnectionTestResult {
  success: boolean;
  errorType?: IntegrationErrorType;
  /** On failure: what is wrong, in a code the SPA words. */
  reason?: ConnectionFailureReason;
  /** The form field Meta's answer points at, when one does. */
  field?: IntegrationField;
  details?: {
    phoneNumber: string | null;
    businessName: string | null;
    verificationStatus: string | null;
    qualityRating: string | null;
    verifiedName: string | null;
    phoneStatus: string | null;
  };
  checks: ConnectionCheck[];
  testedAt: string;
}

export interface TestWhatsAppCredentialsInput {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
}

/**
 * `POST /integrations/:id/test`: ids being edited, tested with the stored token (which never
 * travels to the browser). Without them, or with the stored ones, the saved integration is re-tested.
 */
export interface RetestIntegrationInput {
  phoneNumberId?: string;
  businessAccountId?: string;
}

export interface CreateWhatsAppIntegrationInput extends TestWhatsAppCredentialsInput {
  chatbotId: string;
  /** Omit (or null) to use the server-wide WHATSAPP_APP_SECRET. */
  appSecret?: string | null;
  /** Omit or leave empty to have one generated. */
  webhookVerifyToken?: string;
}

/**
 * A partial update. Changing credentials re-tests them before anything is stored.
 * `isActive: false` disconnects (history kept); `true` reconnects after a test.
 * `appSecret: null` falls back to the server-wide secret; `webhookVerifyToken: ''` generates a new one.
 */
export interface UpdateIntegrationInput {
  phoneNumberId?: string;
  businessAccountId?: string;
  accessToken?: string;
  appSecret?: string | null;
  webhookVerifyToken?: string;
  isActive?: boolean;
}

/** `details.reason` of the 409 answers. */
export const INTEGRATION_CONFLICTS = [
  'PHONE_NUMBER_ALREADY_CONNECTED',
  'CHATBOT_ALREADY_HAS_WHATSAPP',
  /** One Meta app signs every webhook of a WABA: its numbers must share one app secret. */
  'APP_SECRET_DIFFERS_IN_BUSINESS_ACCOUNT',
] as const;
export type IntegrationConflict = (typeof INTEGRATION_CONFLICTS)[number];

/** `GET /api/v1/demo`: demo credentials for the "use demo credentials" button. */
export type DemoInfo =
  | { enabled: false }
  | {
      enabled: true;
      phoneNumberId: string;
      businessAccountId: string;
      accessToken: string;
      appSecret: string;
      displayPhoneNumber: string;
    };

export interface DemoInboundInput {
  chatbotId?: string;
  /** The simulated customer's WhatsApp number (digits). */
  from: string;
  text: string;
  contactName?: string;
  /**
   * The message is dated this many hours ago (Meta's `timestamp`): past 24, the customer-service
   * window is already closed and only templates can be sent. Default 0 (now).
   */
  hoursAgo?: number;
}

/** How far back a demo message may be dated (a week). */
export const DEMO_MAX_HOURS_AGO = 168;

export interface DemoInboundResult {
  wamid: string;
  /** HTTP status our webhook answered the fake with. */
  webhookStatus: number;
}

/** What Meta may say about the demo account (`POST /api/v1/demo/whatsapp/notice`). */
export const DEMO_NOTICE_KINDS = [
  'quality_downgrade',
  'quality_upgrade',
  'template_rejected',
  'template_approved',
  'alert',
  'restriction',
  'reinstatement',
] as const;
export type DemoNoticeKind = (typeof DEMO_NOTICE_KINDS)[number];

export interface DemoNoticeInput {
  kind: DemoNoticeKind;
}

export interface DemoNoticeResult {
  /** HTTP status our webhook answered the fake with. */
  webhookStatus: number;
}

export const DEMO_RULES = {
  from: {
    required: true,
    minLength: 6,
    maxLength: 20,
    pattern: /^\d+$/,
    format: 'digits',
    patternMessage: 'must contain only digits',
  },
  text: { required: true, minLength: 1, maxLength: 4096 },
  contactName: { required: false, maxLength: 80 },
} satisfies Record<string, FieldRule>;
