export { WhatsAppGraphClient, mayHaveReachedMeta } from './client';
export type { GraphRequestEvent, SendTextOptions, WhatsAppGraphClientOptions } from './client';
export {
  CREDENTIAL_ERROR_TYPES,
  GraphApiError,
  classifyGraphError,
  isCallerScheduledRetry,
  isGraphApiError,
  metaRetryDelayMs,
  metaWordsOf,
} from './errors';
export type {
  ClassifyGraphErrorInput,
  GraphApiErrorInit,
  GraphErrorClassification,
} from './errors';
export { addressOf, validateOutboundMessage } from './outbound';
export { redactSecrets } from './redact';
export { DEFAULT_RETRY_POLICY, SYSTEM_CLOCK, computeBackoffDelay } from './retry';
export type { RetryClock, RetryPolicy } from './retry';
export * from './types';
export { signPayload, verifySignature } from './webhook/signature';
export {
  MAX_WEBHOOK_ARRAY,
  MAX_WEBHOOK_DEPTH,
  MAX_WEBHOOK_EVENTS,
  extractWebhookIds,
  parseWebhook,
} from './webhook/parse';
export { NOTICE_FIELDS, WebhookValidationError } from './webhook/types';
export type * from './webhook/types';
