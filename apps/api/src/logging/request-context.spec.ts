import Fastify, { type FastifyInstance } from 'fastify';
import { storage, Store } from 'nestjs-pino/storage';
import pino from 'pino';
import { releaseRequestContextWhenIdle } from './request-context';

/** The request id of the logging context this code runs in, null outside any. */
const currentReqId = (): string | null =>
  (storage.getStore()?.logger.bindings().reqId as string | undefined) ?? null;

describe('releaseRequestContextWhenIdle', () => {
  let app: FastifyInstance;
  /** Lets a request's handler answer. */
  const answer = new Map<string, () => void>();
  /** Runs work the request left behind, in the context the request gave it. */
  const leftover = new Map<string, () => void>();
  /** The request id that work saw. */
  const seenLater = new Map<string, string | null>();

  beforeEach(async () => {
    answer.clear();
    leftover.clear();
    seenLater.clear();
    app = Fastify();
    releaseRequestContextWhenIdle(app);
    // What nestjs-pino's middleware does for every request: the rest runs inside its store.
    app.addHook('onRequest', (request, _reply, done) => {
      storage.run(new Store(pino({ enabled: false }).child({ reqId: request.id })), done);
    });
    const handler = async (request: { query: unknown }) => {
      const { name } = request.query as { name: string };
      void new Promise<void>((resolve) => leftover.set(name, resolve)).then(() =>
        seenLater.set(name, currentReqId()),
      );
      await new Promise<void>((resolve) => answer.set(name, resolve));
      return { reqId: currentReqId() };
    };
    app.get('/api/work', handler);
    app.get('/api/v1/events', handler);
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(() => app.close());

  const call = (path: string, name: string): Promise<{ reqId: string | null }> => {
    const { port } = app.server.address() as { port: number };
    return fetch(`http://127.0.0.1:${port}${path}?name=${name}`).then(
      (res) => res.json() as Promise<{ reqId: string | null }>,
    );
  };
  const started = async (name: string): Promise<void> => {
    while (!answer.has(name)) await new Promise((resolve) => setImmediate(resolve));
  };
  const runLeftover = async (name: string): Promise<string | null | undefined> => {
    leftover.get(name)?.();
    await new Promise((resolve) => setImmediate(resolve));
    return seenLater.get(name);
  };

  it('keeps each request its context while any request is in flight, and lets it go after the last', async () => {
    const first = call('/api/work', 'a');
    const second = call('/api/work', 'b');
    await started('a');
    await started('b');
    answer.get('a')?.();
    const a = await first;
    expect(a.reqId).toEqual(expect.any(String));
    // b is still in flight: the context stays on, work a left behind still logs with a's id.
    expect(await runLeftover('a')).toBe(a.reqId);
    answer.get('b')?.();
    const b = await second;
    expect(b.reqId).toEqual(expect.any(String));
    expect(b.reqId).not.toBe(a.reqId);
    // Nothing in flight: the storage (and its hook on every promise) is off.
    expect(await runLeftover('b')).toBeNull();
  });

  it('does not count the event stream, open as long as a dashboard is', async () => {
    const stream = call('/api/v1/events', 's');
    await started('s');
    try {
      const work = call('/api/work', 'w');
      await started('w');
      answer.get('w')?.();
      await work;
      expect(await runLeftover('w')).toBeNull();
    } finally {
      answer.get('s')?.();
      await stream;
    }
  });
});
