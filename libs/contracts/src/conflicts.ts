import { INTEGRATION_CONFLICTS } from './integrations';
import { CONVERSATION_REFUSALS } from './handoff';
import { TEAM_ERROR_REASONS } from './team';
import { TEMPLATE_REFUSALS } from './templates';
import { MESSAGE_RETRY_REFUSALS } from './whatsapp-webhook';

/** `details.reason` of `POST /api/v1/demo/whatsapp/inbound`'s 409. */
export const DEMO_CONFLICTS = ['DEMO_NUMBER_NOT_CONNECTED'] as const;
/** `details.reason` of the inbox 409s (the accounts' and the team's are TEAM_ERROR_REASONS). */
export const INBOX_CONFLICTS = ['NOT_DEAD'] as const;

/**
 * Every `details.reason` a 409 (or a refused retry) of the API can carry. Clients show one message
 * per reason; the generic CONFLICT text is only for a reason they do not know.
 */
export const CONFLICT_REASONS = [
  ...INTEGRATION_CONFLICTS,
  ...MESSAGE_RETRY_REFUSALS,
  ...DEMO_CONFLICTS,
  ...INBOX_CONFLICTS,
  ...TEAM_ERROR_REASONS,
  ...CONVERSATION_REFUSALS,
  ...TEMPLATE_REFUSALS,
] as const;
export type ConflictReason = (typeof CONFLICT_REASONS)[number];

export function isConflictReason(value: unknown): value is ConflictReason {
  return typeof value === 'string' && (CONFLICT_REASONS as readonly string[]).includes(value);
}
