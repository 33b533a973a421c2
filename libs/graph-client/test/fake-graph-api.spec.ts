import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type StatusEvent,
  classifyGraphError,
  extractWebhookIds,
  parseWebhook,
  verifySignature,
} from '@conecta/graph-client';
import { type FakeGraphApi, WEBHOOK_KINDS } from '@conecta/graph-client/testing';
import { PHONE_ID, WABA_ID, makeClient, startFake } from './helpers';

const APP_SECRET = 'fake-app-secret';

interface Received {
  raw: Buffer;
  signature: string | undefined;
  valid: boolean;
}

/** A tiny webhook receiver standing in for the API: verifies like the real guard would. */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const header = req.headers['x-hub-signature-256'];
      const signature = typeof header === 'string' ? header : undefined;
      const valid = verifySignature(raw, signature, APP_SECRET);
      received.push({ raw, signature, valid });
      res.writeHead(valid ? 200 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let fake: FakeGraphApi;
let baseUrl: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  ({ fake, baseUrl } = await startFake());
  receiver = await startReceiver();
});
afterAll(async () => {
  await fake.stop();
  await receiver.close();
});
beforeEach(() => {
  fake.reset();
  fake.autoStatuses = undefined;
  receiver.received.length = 0;
});

describe('FakeGraphApi as Meta towards our webhook', () => {
  it('sends every webhook kind signed with the app secret it is given (not the server-wide one)', async () => {
    const target = { wabaId: WABA_ID, phoneNumberId: PHONE_ID };
    const payloads = [
      WEBHOOK_KINDS.templateStatus(WABA_ID),
      WEBHOOK_KINDS.accountUpdate(WABA_ID),
      WEBHOOK_KINDS.qualityUpdate(WABA_ID),
      WEBHOOK_KINDS.accountAlert(WABA_ID),
      WEBHOOK_KINDS.messageEcho(target, '34600000001', 'enviado desde la app'),
      WEBHOOK_KINDS.adReferral(target, '34600000001', 'vi el anuncio'),
      WEBHOOK_KINDS.nameUpdate(WABA_ID),
    ];
    for (const payload of payloads) {
      await fake.sendWebhook({ webhookUrl: receiver.url, appSecret: APP_SECRET, payload });
    }
    expect(receiver.received.map((d) => d.valid)).toEqual(payloads.map(() => true));
    for (const delivery of receiver.received) {
      expect(extractWebhookIds(delivery.raw).wabaIds).toEqual([WABA_ID]);
      expect(parseWebhook(delivery.raw).ok).toBe(true);
    }
    const referral = parseWebhook(receiver.received[5].raw);
    expect(referral.ok && referral.events[0]).toMatchObject({
      kind: 'message',
      referral: { sourceType: 'ad', ctwaClid: 'ARAkLkA8rmlFeiCktEJQ' },
    });
  });

  it('sends a signed, Meta-escaped inbound text webhook', async () => {
    const result = await fake.sendInboundMessage({
      webhookUrl: receiver.url,
      appSecret: APP_SECRET,
      phoneNumberId: PHONE_ID,
      from: '34600000001',
      text: 'Hola, ¿qué tal? https://x.es/a',
      contactName: 'Núria',
    });
    expect(result.status).toBe(200);
    const [delivery] = receiver.received;
    expect(delivery.valid).toBe(true);
    const raw = delivery.raw.toString('utf8');
    expect(raw).toContain('\\u00bfqu\\u00e9');
    expect(raw).toContain('https:\\/\\/x.es\\/a');
    const parsed = parseWebhook(delivery.raw);
    expect(parsed).toEqual({
      ok: true,
      events: [
        expect.objectContaining({
          kind: 'message',
          wabaId: WABA_ID,
          phoneNumberId: PHONE_ID,
          displayPhoneNumber: '15550783881',
          wamid: result.wamid,
          from: '34600000001',
          contactName: 'Núria',
          content: { type: 'text', text: 'Hola, ¿qué tal? https://x.es/a' },
        }),
      ],
    });
  });

  it('reports a receiver that rejects the signature', async () => {
    const result = await fake.sendInboundMessage({
      webhookUrl: receiver.url,
      appSecret: 'wrong-secret',
      phoneNumberId: PHONE_ID,
      from: '34600000001',
      text: 'x',
    });
    expect(result.status).toBe(401);
    expect(fake.webhookDeliveries.at(-1)).toMatchObject({ kind: 'message', status: 401 });
  });

  it('follows each accepted message with sent → delivered → read, pricing on sent', async () => {
    fake.autoStatuses = { webhookUrl: receiver.url, appSecret: APP_SECRET, delayMs: 1 };
    const { wamid } = await makeClient(baseUrl).sendText(PHONE_ID, '+34 600 000 001', 'hola');
    await fake.flushWebhooks();
    expect(receiver.received.every((r) => r.valid)).toBe(true);
    const statuses = receiver.received.flatMap((r) => {
      const parsed = parseWebhook(r.raw);
      return parsed.ok ? (parsed.events as StatusEvent[]) : [];
    });
    expect(statuses.map((s) => [s.wamid, s.status, s.recipientId])).toEqual([
      [wamid, 'sent', '34600000001'],
      [wamid, 'delivered', '34600000001'],
      [wamid, 'read', '34600000001'],
    ]);
    expect(statuses[0].pricing).toEqual({
      billable: false,
      pricingModel: 'PMP',
      type: 'free_customer_service',
      category: 'service',
    });
    expect(statuses[1].pricing).toBeUndefined();
  });

  it('can end the sequence with a failed status carrying the error code', async () => {
    fake.autoStatuses = {
      webhookUrl: receiver.url,
      appSecret: APP_SECRET,
      sequence: ['sent', 'failed'],
      failCode: 131049,
      delayMs: 1,
    };
    await makeClient(baseUrl).sendText(PHONE_ID, '+34600000001', 'oferta');
    await fake.flushWebhooks();
    const last = parseWebhook(receiver.received.at(-1)?.raw);
    expect(last.ok && last.events[0]).toMatchObject({
      kind: 'status',
      status: 'failed',
      errors: [{ code: 131049, errorType: 'RATE_LIMIT_EXCEEDED', retryable: false }],
    });
  });

  it('records every request with method, path, headers and body', async () => {
    await makeClient(baseUrl).markAsRead(PHONE_ID, 'wamid.1');
    expect(fake.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/v26.0/${PHONE_ID}/messages`,
        endpoint: 'messages',
        body: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.1' },
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
        receivedAt: expect.any(Number),
      }),
    ]);
  });

  it('answers unknown paths and versions with a Graph error', async () => {
    const res = await fetch(`${baseUrl}/v26.0/${PHONE_ID}/nope`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 2500 } });
    const bad = await fetch(`${baseUrl}/latest/${PHONE_ID}`);
    expect(bad.status).toBe(400);
  });
});

describe('classifyGraphError', () => {
  it.each([
    [{ code: 190, httpStatus: 401 }, 'INVALID_CREDENTIALS', false],
    [{ code: 190, subcode: 463, httpStatus: 400 }, 'INVALID_CREDENTIALS', false],
    [{ code: 0 }, 'INVALID_CREDENTIALS', false],
    [{ code: 10 }, 'PERMISSION_DENIED', false],
    [{ code: 200 }, 'PERMISSION_DENIED', false],
    [{ code: 299 }, 'PERMISSION_DENIED', false],
    [{ code: 3, httpStatus: 500 }, 'PERMISSION_DENIED', false],
    [{ code: 100, subcode: 33, endpoint: 'phone_number' as const }, 'INVALID_PHONE_NUMBER', false],
    [{ code: 100, subcode: 33, endpoint: 'subscribed_apps' as const }, 'PERMISSION_DENIED', false],
    [{ code: 100 }, 'INVALID_REQUEST', false],
    [{ code: 4 }, 'RATE_LIMIT_EXCEEDED', true],
    [{ code: 80007 }, 'RATE_LIMIT_EXCEEDED', true],
    [{ code: 130429 }, 'RATE_LIMIT_EXCEEDED', true],
    [{ code: 131056 }, 'RATE_LIMIT_EXCEEDED', true],
    [{ code: 131048 }, 'RATE_LIMIT_EXCEEDED', false],
    [{ code: 131047 }, 'OUTSIDE_CUSTOMER_SERVICE_WINDOW', false],
    [{ code: 131026 }, 'RECIPIENT_UNAVAILABLE', false],
    [{ code: 133010 }, 'PHONE_NOT_REGISTERED', false],
    [{ code: 132015 }, 'TEMPLATE_ERROR', false],
    [{ code: 368 }, 'ACCOUNT_RESTRICTED', false],
    [{ code: 131016 }, 'CONNECTION_FAILED', true],
    [{ code: 131057 }, 'CONNECTION_FAILED', true],
    [{ httpStatus: 503 }, 'CONNECTION_FAILED', true],
    [{ httpStatus: 429 }, 'RATE_LIMIT_EXCEEDED', true],
    [{ httpStatus: 401 }, 'INVALID_CREDENTIALS', false],
    [{}, 'CONNECTION_FAILED', true],
    [
      { code: 999999, httpStatus: 400, endpoint: 'messages' as const },
      'MESSAGE_SEND_FAILED',
      false,
    ],
    [{ code: 999999, httpStatus: 400 }, 'UNKNOWN', false],
  ])('classifies %j as %s (retryable: %s)', (input, errorType, retryable) => {
    expect(classifyGraphError(input)).toMatchObject({ errorType, retryable });
  });

  it('suggests waiting 24 h after 131049 and 72 h after 133016', () => {
    expect(classifyGraphError({ code: 131049 }).retryAfterMs).toBe(24 * 3600 * 1000);
    expect(classifyGraphError({ code: 133016 }).retryAfterMs).toBe(72 * 3600 * 1000);
  });
});
