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

/** A plain-language sentence in both product languages. */
export interface LocalizedText {
  es: string;
  en: string;
}

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
  errorType: IntegrationErrorType | null;
  errorMessage: LocalizedText | null;
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

export interface ConnectionCheck {
  name: ConnectionCheckName;
  outcome: 'passed' | 'failed' | 'warning' | 'skipped';
  message: string;
}

/** The answer of "Test connection" (saved or unsaved credentials). */
export interface ConnectionTestResult {
  success: boolean;
  message: string;
  errorType?: IntegrationErrorType;
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
}

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
