import {
  BLOCKING_STANDINGS,
  type AccountHealth,
  type IntegrationErrorType,
  type IntegrationStatus,
} from '@conecta/contracts';
import { describeErrorType } from '@conecta/graph-client';
import type { IntegrationActivity, IntegrationRow } from './integrations.repository';

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
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
  const blocked = account.standing !== null && BLOCKING_STANDINGS.includes(account.standing.state);
  const status = !row.isActive
    ? 'disconnected'
    : row.health === 'error' || blocked
      ? 'error'
      : 'connected';
  const errorType: IntegrationErrorType | null = !row.isActive
    ? null
    : row.health === 'error'
      ? row.errorType
      : blocked
        ? 'ACCOUNT_RESTRICTED'
        : null;
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
    errorMessage: errorType
      ? { es: describeErrorType(errorType, 'es'), en: describeErrorType(errorType, 'en') }
      : null,
    lastActivity: iso(activity.lastActivity),
    lastTestedAt: iso(row.lastTestedAt),
    lastWebhookAt: iso(activity.lastWebhookAt),
    lastSendOkAt: iso(activity.lastSendOkAt),
    subscribedAt: iso(row.subscribedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
