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
