import type { IntegrationStatus } from '@conecta/contracts';
import type { FakeGraphApi } from '@conecta/graph-client/testing';
import type { SeededWorkspace } from './auth';

/** Waits until `check` returns a value other than undefined/false, polling; fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface FakeNumber {
  wabaId: string;
  phoneNumberId: string;
  token: string;
  appSecret: string;
}

/** Registers a business with one number at the fake, then connects it through the REST API. */
export async function connectNumber(
  fake: FakeGraphApi,
  ws: SeededWorkspace,
  n: FakeNumber,
): Promise<IntegrationStatus> {
  fake.addBusiness({
    wabaId: n.wabaId,
    name: `Business ${n.wabaId}`,
    token: n.token,
    phoneNumbers: [
      { id: n.phoneNumberId, displayPhoneNumber: '+1 555-010-0100', verifiedName: 'Shop' },
    ],
  });
  const res = await ws.admin.post('/api/v1/integrations', {
    chatbotId: ws.chatbotId,
    phoneNumberId: n.phoneNumberId,
    businessAccountId: n.wabaId,
    accessToken: n.token,
    appSecret: n.appSecret,
  });
  if (res.status !== 201) {
    throw new Error(`integration not created: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as IntegrationStatus;
}

/**
 * The environment of a webhook test: the fake Graph API as Meta, one attempt per send (Meta's
 * throttling is retried by the inbox, not inside the call), no health check, a fast inbox.
 */
export function webhookTestEnv(
  graphBaseUrl: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    WHATSAPP_BASE_URL: graphBaseUrl,
    WHATSAPP_TIMEOUT_MS: '2000',
    WHATSAPP_RETRY_MAX_ATTEMPTS: '1',
    INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0',
    INBOX_POLL_INTERVAL_MS: '20',
    ...overrides,
  };
}
