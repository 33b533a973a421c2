import request from 'supertest';
import { ChatbotsService } from '../src/chatbots/chatbots.service';
import type { HostResolver } from '../src/egress/egress-policy';
import { seedWorkspace, systemAuth } from './support/auth';
import { FakeLlmServer } from './support/fake-llm';
import { startTestApp, TestApp } from './support/test-app';
import { AccountsService } from '../src/accounts/accounts.service';

/**
 * Server-side request forgery through a chatbot's responder `baseUrl`, with the private-range policy
 * ON (EGRESS_ALLOW_PRIVATE=false). Every target is on this machine: names resolve through a table,
 * never through real DNS, and a listener on 127.0.0.1 records whatever reaches it.
 */
describe('egress policy for tenant-chosen URLs (SSRF)', () => {
  let t: TestApp;
  let listener: FakeLlmServer;
  let workspaceId: string;
  const asked: string[] = [];
  const dns: Record<string, string[]> = {
    'llm.tenant.test': ['127.0.0.1'],
    'intranet.tenant.test': ['10.0.0.7'],
    'metadata.tenant.test': ['169.254.169.254'],
    'mixed.tenant.test': ['203.0.113.10', '192.168.1.20'],
    'v6.tenant.test': ['::ffff:127.0.0.1'],
  };
  const resolver: HostResolver = (hostname) => {
    asked.push(hostname);
    const addresses = dns[hostname];
    if (!addresses) return Promise.reject(new Error(`ENOTFOUND ${hostname}`));
    return Promise.resolve(
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

  beforeAll(async () => {
    listener = await FakeLlmServer.start();
    t = await startTestApp('egress', {
      env: {
        EGRESS_ALLOW_PRIVATE: 'false',
        LLM_API_KEY: 'server-wide-key',
        LLM_TIMEOUT_MS: '2000',
      },
      resolver,
    });
    workspaceId = (await t.app.get(AccountsService).createWorkspace('Egress')).id;
  });
  afterAll(async () => {
    await t.close();
    await listener.stop();
  });

  /** A public chat answered by an LLM at `baseUrl`; returns what the anonymous visitor sees. */
  async function visitorAsks(baseUrl: string): Promise<string> {
    const bot = await t.app.get(ChatbotsService).create(systemAuth(workspaceId), {
      name: 'SSRF',
      fallbackMessage: 'Ahora no puedo responder.',
      responder: { type: 'openai-compatible', model: 'm', apiKey: 'sk-tenant' },
    });
    // Stored straight in the database: also URLs saved before the DTO rule tightened are refused.
    await t.connection
      .collection('chatbots')
      .updateOne({ publicId: bot.publicId }, { $set: { 'responder.baseUrl': baseUrl } });
    const res = await request(t.app.getHttpServer())
      .post(`/api/v1/public/chatbots/${bot.publicId}/messages`)
      .send({ content: 'hola' })
      .expect(200);
    return (res.body as { reply: { content: string } }).reply.content;
  }

  it.each([
    ['a loopback address', (port: string) => `http://127.0.0.1:${port}/v1`],
    [
      'a loopback address with a fragment that would drop our path',
      (port: string) => `http://127.0.0.1:${port}/admin#`,
    ],
    ['an IPv4-mapped IPv6 loopback', (port: string) => `http://[::ffff:127.0.0.1]:${port}/v1`],
    ['an IPv6 loopback', (port: string) => `http://[::1]:${port}/v1`],
    ['a decimal spelling of loopback', (port: string) => `http://2130706433:${port}/v1`],
    ['a name that resolves to loopback', (port: string) => `http://llm.tenant.test:${port}/v1`],
    [
      'a name that resolves to a mapped loopback',
      (port: string) => `http://v6.tenant.test:${port}/v1`,
    ],
  ])('refuses %s and the listener receives nothing', async (_label, url) => {
    const port = new URL(listener.baseUrl).port;
    const before = listener.requests.length;
    expect(await visitorAsks(url(port))).toBe('Ahora no puedo responder.');
    expect(listener.requests.length).toBe(before);
  });

  it.each([
    ['a private range', 'http://intranet.tenant.test/v1'],
    ['the cloud metadata address', 'http://metadata.tenant.test/latest/meta-data'],
    ['a name with one public and one private address', 'http://mixed.tenant.test/v1'],
    ['a literal metadata address', 'http://169.254.169.254/latest'],
    ['a literal private address', 'http://192.168.0.1/v1'],
  ])('refuses %s before connecting anywhere', async (_label, url) => {
    expect(await visitorAsks(url)).toBe('Ahora no puedo responder.');
  });

  it('asks the resolver (never real DNS) and checks the answer at connect time', async () => {
    asked.length = 0;
    await visitorAsks('http://intranet.tenant.test/v1');
    expect(asked).toEqual(['intranet.tenant.test']);
  });

  it('refuses a base URL that is not http(s), or carries credentials, a query or a fragment', async () => {
    const ws = await seedWorkspace(t);
    for (const baseUrl of [
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_',
      'https://user:pw@llm.example.com/v1',
      'https://llm.example.com/v1?x=1',
      'https://llm.example.com/v1#',
    ]) {
      const res = await ws.admin
        .post('/api/v1/chatbots', {
          name: 'x',
          responder: { type: 'openai-compatible', model: 'm', baseUrl },
        })
        .expect(400);
      expect(res.body.details.fields).toEqual([
        expect.objectContaining({ field: 'responder.baseUrl', code: 'pattern' }),
      ]);
    }
  });
});
