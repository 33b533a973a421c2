import { INTEGRATION_CONFLICTS } from './integrations';
import { MESSAGE_RETRY_REFUSALS } from './whatsapp-webhook';

/** `details.reason` of `POST /api/v1/demo/whatsapp/inbound`'s 409. */
export const DEMO_CONFLICTS = ['DEMO_NUMBER_NOT_CONNECTED'] as const;
/** `details.reason` of the account and inbox 409s. */
export const ACCOUNT_CONFLICTS = ['EMAIL_TAKEN'] as const;
export const INBOX_CONFLICTS = ['NOT_DEAD'] as const;

/**
 * Every `details.reason` a 409 (or a refused retry) of the API can carry. Clients show one message
 * per reason; the generic CONFLICT text is only for a reason they do not know.
 */
export const CONFLICT_REASONS = [
  ...INTEGRATION_CONFLICTS,
  ...MESSAGE_RETRY_REFUSALS,
  ...DEMO_CONFLICTS,
  ...ACCOUNT_CONFLICTS,
  ...INBOX_CONFLICTS,
] as const;
export type ConflictReason = (typeof CONFLICT_REASONS)[number];

export function isConflictReason(value: unknown): value is ConflictReason {
  return typeof value === 'string' && (CONFLICT_REASONS as readonly string[]).includes(value);
}
