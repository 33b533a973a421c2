import { createHash } from 'node:crypto';
import type { SealedPlace, SecretBox } from '../crypto/secret-box';
import type { WhatsAppCredentials } from './connection-tester';
import type { IntegrationRow } from './integrations.repository';
import type { ActiveIntegration } from './integrations.types';

/** Where an integration's secret is sealed: its record and field (the seal's associated data). */
export function sealedAt(
  id: string,
  field: 'accessToken' | 'appSecret' | 'webhookVerifyToken',
): SealedPlace {
  return { collection: 'integrations', id, field };
}

/** The stored form of a webhook verify token (looked up by equality, compared in constant time). */
export function verifyTokenHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The credentials a connection test needs, with the token opened. */
export function openCredentials(secrets: SecretBox, row: IntegrationRow): WhatsAppCredentials {
  return {
    phoneNumberId: row.phoneNumberId,
    businessAccountId: row.businessAccountId,
    accessToken: secrets.open(row.accessToken, sealedAt(row.id, 'accessToken')),
  };
}

/** The integration with its secrets opened, for the webhook and the sender. */
export function openIntegration(secrets: SecretBox, row: IntegrationRow): ActiveIntegration {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    chatbotId: row.chatbotId,
    phoneNumberId: row.phoneNumberId,
    businessAccountId: row.businessAccountId,
    accessToken: secrets.open(row.accessToken, sealedAt(row.id, 'accessToken')),
    appSecret: row.appSecret ? secrets.open(row.appSecret, sealedAt(row.id, 'appSecret')) : null,
    isActive: row.isActive,
    displayPhoneNumber: row.connection?.displayPhoneNumber ?? null,
  };
}
