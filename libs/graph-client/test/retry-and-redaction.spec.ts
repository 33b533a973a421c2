import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import {
  DEFAULT_RETRY_POLICY,
  GraphApiError,
  WhatsAppGraphClient,
  computeBackoffDelay,
  redactSecrets,
  metaRetryDelayMs,
} from '@conecta/graph-client';
import { type FakeGraphApi, VirtualClock } from '@conecta/graph-client/testing';
import axios from 'axios';
import fc from 'fast-check';
import { PHONE_ID, TOKEN, WABA_ID, makeClient, rejection, startFake } from './helpers';

let fake: FakeGraphApi;
let baseUrl: string;

beforeAll(async () => {
  ({ fake, baseUrl } = await startFake());
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('retry policy', () => {
  it('retries a throttled send (130429) with growing delays and then succeeds', async () => {
    fake.failNext('messages', 3, { code: 130429 });
    // random = 1 pins the jitter to the top of each range: 20, 40, 80 ms.
    const clock = new VirtualClock();
    const client = makeClient(baseUrl, {
      clock,
      random: () => 1,
      retry: { baseDelayMs: 20, maxDelayMs: 1000 },
    });
    const result = await client.sendText(PHONE_ID, '+34600000001', 'hola');
    expect(result.wamid).toMatch(/^wamid\./);
    expect(fake.requestsTo('messages')).toHaveLength(4);
    expect(clock.sleeps).toEqual([20, 40, 80]);
    expect(fake.sentMessages()).toHaveLength(1);
  });

  it('leaves the pair rate limit (131056) to the caller: one request, then Meta’s 4^X s advice', async () => {
    fake.failNext('messages', 1, { code: 131056 });
    const error = await rejection(makeClient(baseUrl).sendText(PHONE_ID, '+34600000001', 'x'));
    expect(error).toMatchObject({ code: 131056, retryable: true });
    expect(fake.requestsTo('messages')).toHaveLength(1);
    expect([1, 2, 3, 4, 5].map((n) => metaRetryDelayMs(131056, n))).toEqual([
      1000, 4000, 16000, 64000, 256000,
    ]);
    expect(metaRetryDelayMs(131056, 20)).toBe(3600_000);
    expect([1, 2, 3].map((n) => metaRetryDelayMs(130429, n))).toEqual([1000, 2000, 4000]);
    expect(metaRetryDelayMs(131026, 1)).toBeUndefined();
  });

  it.each([4, 80007, 2, 131000])('retries the retryable code %i', async (code) => {
    fake.failNext('subscribed_apps', 1, { code });
    await expect(makeClient(baseUrl).getSubscribedApps(WABA_ID)).resolves.toEqual([]);
    expect(fake.requests).toHaveLength(2);
  });

  it('never retries a non-retryable error', async () => {
    fake.failNext('phone_number', 3, { code: 100, message: '(#100) Invalid parameter' });
    const error = (await rejection(makeClient(baseUrl).getPhoneNumber(PHONE_ID))) as GraphApiError;
    expect(error).toMatchObject({ errorType: 'INVALID_REQUEST', retryable: false, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('stops after maxAttempts', async () => {
    fake.failNext('phone_number', 10, { code: 2, httpStatus: 503 });
    const client = makeClient(baseUrl, { retry: { maxAttempts: 3 } });
    const error = (await rejection(client.getPhoneNumber(PHONE_ID))) as GraphApiError;
    expect(error).toMatchObject({ errorType: 'CONNECTION_FAILED', retryable: true, attempts: 3 });
    expect(fake.requests).toHaveLength(3);
  });

  it('respects the overall deadline, cutting a slow attempt short', async () => {
    fake.failNext('phone_number', 10, { code: 2 });
    const clock = new VirtualClock();
    const timeouts: (number | undefined)[] = [];
    const transport = axios.create();
    transport.interceptors.request.use((config) => {
      timeouts.push(config.timeout);
      return config;
    });
    const client = makeClient(baseUrl, {
      clock,
      transport,
      random: () => 1,
      timeoutMs: 5000,
      retry: { maxAttempts: 10, baseDelayMs: 60, maxDelayMs: 60, deadlineMs: 200 },
    });
    const error = (await rejection(client.getPhoneNumber(PHONE_ID))) as GraphApiError;
    expect(error.retryable).toBe(true);
    // Three waits of 60 ms fit in 200 ms; a fourth would end past the deadline.
    expect(clock.sleeps).toEqual([60, 60, 60]);
    expect(fake.requests).toHaveLength(4);
    // Each attempt's timeout is cut to what is left of the deadline.
    expect(timeouts).toEqual([200, 140, 80, 20]);

    // On the wall clock, an attempt that hangs is cut at the deadline and leaves no time to retry.
    fake.reset();
    timeouts.length = 0;
    fake.failNext('business_account', 1, { delayMs: 2000 });
    const wallClockClient = makeClient(baseUrl, {
      transport,
      random: () => 1,
      timeoutMs: 5000,
      retry: { maxAttempts: 10, baseDelayMs: 60, maxDelayMs: 60, deadlineMs: 200 },
    });
    const slow = (await rejection(wallClockClient.getBusinessAccount(WABA_ID))) as GraphApiError;
    expect(slow).toMatchObject({ errorType: 'CONNECTION_FAILED', networkCode: 'ETIMEDOUT' });
    expect(fake.requests).toHaveLength(1);
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]).toBeLessThanOrEqual(200);
  });

  it('honours an HTTP Retry-After header within maxDelayMs', async () => {
    let calls = 0;
    const transport = axios.create({
      adapter: async (config) => {
        calls += 1;
        const first = calls === 1;
        return {
          data: Buffer.from(first ? '' : '{"id":"1"}'),
          status: first ? 429 : 200,
          statusText: '',
          headers: first ? { 'retry-after': '1' } : {},
          config,
        };
      },
    });
    const clock = new VirtualClock();
    const client = new WhatsAppGraphClient({
      accessToken: TOKEN,
      transport,
      clock,
      random: () => 0,
      retry: { baseDelayMs: 2, maxDelayMs: 60 },
    });
    await expect(client.getPhoneNumber(PHONE_ID)).resolves.toEqual({ id: '1' });
    // Retry-After: 1 s asks for 1000 ms; maxDelayMs caps it (the jittered backoff alone is 1 ms).
    expect(clock.sleeps).toEqual([60]);
  });

  it('computes equal-jitter delays that stay in range and grow until the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 }),
        (base, maxExtra, randoms) => {
          const policy = { baseDelayMs: base, maxDelayMs: base + maxExtra };
          const delays = randoms.map((r, i) => computeBackoffDelay(i + 1, policy, () => r));
          delays.forEach((d, i) => {
            const exp = Math.min(policy.maxDelayMs, base * 2 ** i);
            expect(d).toBeGreaterThanOrEqual(Math.floor(exp / 2));
            expect(d).toBeLessThanOrEqual(policy.maxDelayMs);
            const uncapped = base * 2 ** i <= policy.maxDelayMs;
            if (i > 0 && uncapped) expect(d).toBeGreaterThanOrEqual(delays[i - 1]);
          });
        },
      ),
    );
  });

  it('lets Meta’s suggested delay raise the floor, but not above maxDelayMs', () => {
    const policy = { baseDelayMs: 10, maxDelayMs: 500 };
    expect(computeBackoffDelay(1, policy, () => 0, 300)).toBe(300);
    expect(computeBackoffDelay(1, policy, () => 0, 60_000)).toBe(500);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });

  it('rejects a nonsensical retry policy at construction', () => {
    expect(
      () => new WhatsAppGraphClient({ accessToken: TOKEN, retry: { maxAttempts: 0 } }),
    ).toThrow(RangeError);
    expect(() => new WhatsAppGraphClient({ accessToken: TOKEN, apiVersion: '24' })).toThrow(
      TypeError,
    );
    expect(() => new WhatsAppGraphClient({ accessToken: '' })).toThrow(TypeError);
  });
});

function captureConsole(): { console: Console; text: () => string } {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { console: new Console({ stdout: sink, stderr: sink }), text: () => out };
}

describe('token safety', () => {
  function expectNoToken(error: unknown): void {
    const logged = captureConsole();
    logged.console.error(error);
    logged.console.log('%o', error);
    logged.console.log(JSON.stringify({ err: error }));
    const renderings = [
      JSON.stringify(error),
      inspect(error, { showHidden: true, depth: Infinity, getters: true }),
      String(error),
      error instanceof Error ? String(error.stack) : '',
      logged.text(),
    ];
    for (const text of renderings) expect(text).not.toContain(TOKEN);
    // Only flat values: no axios error, config, request or headers hanging off it.
    for (const value of Object.values(error as object)) expect(typeof value).not.toBe('object');
  }

  it('keeps the token out of a Graph error, however it is serialised or logged', async () => {
    fake.failNext('phone_number', 1, {
      code: 190,
      message: `Invalid OAuth access token - Cannot parse access token ${TOKEN}`,
      details: `GET /v26.0/${PHONE_ID}?access_token=${TOKEN}&fields=id`,
    });
    const error = (await rejection(makeClient(baseUrl).getPhoneNumber(PHONE_ID))) as GraphApiError;
    expect(error.errorType).toBe('INVALID_CREDENTIALS');
    expect(error.message).toContain('[REDACTED]');
    expect(error.details).toContain('access_token=[REDACTED]');
    expectNoToken(error);
  });

  it('keeps the token out of network and timeout errors', async () => {
    fake.failNext('messages', 1, { drop: true });
    expectNoToken(await rejection(makeClient(baseUrl).sendText(PHONE_ID, '+34600000001', 'x')));
    fake.failNext('phone_number', 1, { delayMs: 200 });
    const client = makeClient(baseUrl, { timeoutMs: 20, retry: { maxAttempts: 1 } });
    expectNoToken(await rejection(client.getPhoneNumber(PHONE_ID)));
  });

  it('keeps the token out of the client itself', () => {
    const client = makeClient(baseUrl);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
    expect(inspect(client, { showHidden: true, depth: Infinity })).not.toContain(TOKEN);
  });

  it('does not hand out Meta’s paging links, which carry access_token', async () => {
    const page = await makeClient(baseUrl).listPhoneNumbers(WABA_ID, { limit: 1 });
    expect(JSON.stringify(page)).not.toContain('access_token');
  });

  it('redacts literal secrets, access_token= parameters and bearer credentials', () => {
    expect(redactSecrets(`token ${TOKEN} here`, [TOKEN])).toBe('token [REDACTED] here');
    expect(
      redactSecrets('https://graph.facebook.com/v24.0/1?access_token=EAAB123&x=1&client_secret=s1'),
    ).toBe(
      'https://graph.facebook.com/v24.0/1?access_token=[REDACTED]&x=1&client_secret=[REDACTED]',
    );
    expect(redactSecrets('Authorization: Bearer EAAJBabcdef123456')).toBe(
      'Authorization: Bearer [REDACTED]',
    );
  });
});
