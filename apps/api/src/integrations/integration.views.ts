import type { IntegrationStatus } from '@conecta/contracts';
import type { IntegrationRow } from './integrations.repository';

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

/**
 * What the API shows of an integration: the honest status, never a secret except the webhook
 * verify token, which the caller passes opened only for admins.
 */
export function toIntegrationView(
  row: IntegrationRow,
  webhook: { callbackUrl: string; verifyToken: string | null },
): IntegrationStatus {
  const status = !row.isActive ? 'disconnected' : row.health;
  const errorType = row.isActive && row.health === 'error' ? row.errorType : null;
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
    errorType,
    lastActivity: iso(row.lastActivity),
    lastTestedAt: iso(row.lastTestedAt),
    lastWebhookAt: iso(row.lastWebhookAt),
    lastSendOkAt: iso(row.lastSendOkAt),
    subscribedAt: iso(row.subscribedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
