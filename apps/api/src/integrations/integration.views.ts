import {
  BLOCKING_STANDINGS,
  type AccountHealth,
  type AccountStanding,
  type IntegrationErrorType,
  type IntegrationStatus,
} from '@conecta/contracts';
import type { IntegrationActivity, IntegrationRow } from './integrations.repository';

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

/**
 * Why an integration is in error, as its status says: its own error (credentials, a send's verdict),
 * else a restriction, ban or deletion Meta reported; null when it is not in error.
 */
export function integrationError(
  row: Pick<IntegrationRow, 'isActive' | 'health' | 'errorType'>,
  standing: AccountStanding | null,
): IntegrationErrorType | null {
  if (!row.isActive) return null;
  if (row.health === 'error') return row.errorType ?? 'UNKNOWN';
  return standing !== null && BLOCKING_STANDINGS.includes(standing) ? 'ACCOUNT_RESTRICTED' : null;
}

/**
 * What the API shows of an integration: the honest status, never a secret except the webhook
 * verify token, which the caller passes opened only for admins. A restriction, ban or deletion
 * Meta reported (`account`) is an error of the integration, whatever a connection test (which
 * still passes while restricted) says.
 */
export function toIntegrationView(
  row: IntegrationRow,
  webhook: { callbackUrl: string; verifyToken: string | null },
  account: AccountHealth,
  activity: IntegrationActivity,
): IntegrationStatus {
  const inError = integrationError(row, account.standing?.state ?? null);
  const status = !row.isActive ? 'disconnected' : inError ? 'error' : 'connected';
  // A connection error Meta gave no type for shows as an error without a reason, as before.
  const errorType = row.isActive && row.health === 'error' ? row.errorType : inError;
  return {
    id: row.id,
    platform: row.platform,
    chatbotId: row.chatbotId,
    status,
    isActive: row.isActive,
    phoneNumberId: row.phoneNumberId,
    businessAccountId: row.businessAccountId,
    tokenLast4: row.tokenLast4,
    hasAppSecret: row.appSecret !== null,
    webhook,
    connection: row.connection,
    account,
    errorType,
    lastActivity: iso(activity.lastActivity),
    lastTestedAt: iso(row.lastTestedAt),
    lastWebhookAt: iso(activity.lastWebhookAt),
    lastSendOkAt: iso(activity.lastSendOkAt),
    subscribedAt: iso(row.subscribedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
