// Shared pieces of the reliability suite: one scenario's stack (built API + embedded database +
// fake Graph API), a sender that behaves like Meta (signed webhooks, redelivery of every non-200),
// a fault-injecting proxy in front of the fake, and the end-of-scenario counts read from the
// database and from the fake's recorded requests.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { MongoClient } from 'mongodb';
import {
  BUSINESS,
  addBusiness,
  connectWhatsApp,
  freePort,
  requireBuilt,
  sign,
  signIn,
  signedInboundWebhook,
  sleep,
  startApi,
  startDatabase,
  waitFor,
} from '../../bench/support/stack.mjs';

export { BUSINESS, freePort, sign, sleep, startApi, waitFor };

const { testing } = requireBuilt();
export const { FakeGraphApi, buildInboundTextWebhook, metaJsonStringify } = testing;

/** Settings every scenario shares: turns never merged, quick polling, quiet logs. */
export const BASE_ENV = {
  WEBHOOK_BURST_WINDOW_MS: '0',
  INBOX_POLL_INTERVAL_MS: '100',
  INBOX_CONCURRENCY: '4',
  LOG_LEVEL: 'error',
  INTEGRATION_HEALTHCHECK_INTERVAL_MS: '0',
};

/** A unique customer number per scenario and index (distinct customers: no merged turns). */
export function customer(scenario, i) {
  return `52${String(scenario).padStart(2, '0')}${String(i).padStart(8, '0')}`;
}

/** One inbound text message from `from`, with a fresh wamid. */
export function inboundWebhook(from, text) {
  const wamid = `wamid.rel.${randomBytes(12).toString('hex')}`;
  return {
    wamid,
    from,
    ...signedInboundWebhook({ from, wamid, text, contactName: `Cliente ${from.slice(-4)}` }),
  };
}

/**
 * Posts webhooks the way Meta does: every answer other than 200 (and every connection error) is
 * redelivered later with a growing delay, until a 200 or the deadline. Records every attempt.
 */
export class MetaSender {
  /** `urls`: several intake processes, posted to in turn (a redelivery may reach another one). */
  constructor({ url, urls = [url], maxDelayMs = 2000, deadlineMs = 120_000, timeoutMs = 10_000 }) {
    this.urls = urls;
    this.maxDelayMs = maxDelayMs;
    this.deadlineMs = deadlineMs;
    this.timeoutMs = timeoutMs;
    /** wamid → { from, attempts: [{at, status|error}], acceptedAt } */
    this.byWamid = new Map();
    this.posts = 0;
    this.inFlight = new Set();
  }

  record(hook) {
    let entry = this.byWamid.get(hook.wamid);
    if (!entry) {
      entry = { from: hook.from, attempts: [], acceptedAt: null, deliveries: 0 };
      this.byWamid.set(hook.wamid, entry);
    }
    return entry;
  }

  /** One POST; resolves to the status, or 0 for a connection error / timeout. */
  async postOnce(hook) {
    const url = this.urls[this.posts % this.urls.length];
    this.posts += 1;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': hook.signature },
        body: hook.raw,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      return { status: res.status };
    } catch (err) {
      return { status: 0, error: err.cause?.code ?? err.name };
    }
  }

  /** Delivers one webhook (one Meta delivery), redelivering until it gets a 200. */
  deliver(hook) {
    const run = async () => {
      const entry = this.record(hook);
      entry.deliveries += 1;
      const deadline = Date.now() + this.deadlineMs;
      for (let attempt = 1; ; attempt++) {
        const at = Date.now();
        const result = await this.postOnce(hook);
        entry.attempts.push({ at, ...result });
        if (result.status === 200) {
          entry.acceptedAt ??= Date.now();
          return true;
        }
        if (Date.now() > deadline) return false;
        await sleep(Math.min(this.maxDelayMs, 100 * 2 ** Math.min(attempt - 1, 6)));
      }
    };
    const p = run();
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  /** Delivers a list with bounded concurrency. */
  async deliverAll(hooks, concurrency = 16) {
    let next = 0;
    const worker = async () => {
      while (next < hooks.length) await this.deliver(hooks[next++]);
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** A steady stream: `rate` deliveries per second, each redelivered until 200 (not awaited). */
  async stream(hooks, rate, onTick) {
    const started = Date.now();
    for (let i = 0; i < hooks.length; i++) {
      const due = started + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      onTick?.(i, Date.now() - started);
      void this.deliver(hooks[i]);
    }
  }

  /** Waits for every delivery to end; false when some are still being redelivered. */
  async settle(timeoutMs = 120_000) {
    return waitFor('every delivery to end', () => this.inFlight.size === 0, {
      timeoutMs,
      intervalMs: 100,
    }).catch(() => false);
  }

  statusCounts() {
    const counts = {};
    for (const entry of this.byWamid.values()) {
      for (const a of entry.attempts) {
        const key = a.status === 0 ? `conn:${a.error}` : String(a.status);
        counts[key] = (counts[key] ?? 0) + 1;
      }
    }
    return counts;
  }
}

/**
 * A fault-injecting HTTP proxy in front of the fake Graph API: `forward`, `fail500`, or `down`
 * (the listening socket is closed: connection refused on the same port until `up()`).
 */
export class FaultProxy {
  constructor(target) {
    this.target = new URL(target);
    this.mode = 'forward';
    this.server = undefined;
    this.port = undefined;
    this.answered500 = 0;
  }

  async start(port = 0) {
    const server = http.createServer((req, res) => {
      if (this.mode === 'fail500') {
        this.answered500 += 1;
        req.resume();
        res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
        return;
      }
      const upstream = http.request(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
    this.port = server.address().port;
    return `http://127.0.0.1:${this.port}`;
  }

  /** Connection refused from now on. */
  async down() {
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Listens again on the same port. */
  async up() {
    await this.start(this.port);
  }

  async stop() {
    if (this.server) await this.down();
  }
}

/**
 * One scenario's stack: its own database on the shared server, a fake Graph API (optionally
 * behind a proxy), the built API with the given settings, a signed-in admin and a connected
 * WhatsApp integration.
 */
/**
 * `metaStatuses`: the fake reports a `sent` status of every send it accepted and redelivers it
 * until the API takes it, as Meta does; off where no send can be interrupted (it adds an inbox
 * event per reply).
 */
export async function startScenarioStack({
  name,
  env = {},
  proxy = false,
  nodeArgs = [],
  metaStatuses = true,
}) {
  // The API always uses the database `conecta`: each scenario gets its own database server.
  const dbServer = await startDatabase(`rel-${name}`);
  const fake = new FakeGraphApi();
  const fakeUrl = await fake.start();
  addBusiness(fake);
  let faultProxy;
  let graphUrl = fakeUrl;
  if (proxy) {
    faultProxy = new FaultProxy(fakeUrl);
    graphUrl = await faultProxy.start();
  }
  const mongoUri = dbServer.uri;
  const apiEnv = { ...BASE_ENV, ...env };
  const api = await startApi({ mongoUri, graphUrl, env: apiEnv, nodeArgs });
  const client = await signIn(api.url);
  const { chatbot, integration } = await connectWhatsApp(client);
  const mongo = new MongoClient(mongoUri, { serverSelectionTimeoutMS: 5000 });
  await mongo.connect();
  // Meta reports every send it accepted (`sent`, tagged with the send's biz_opaque_callback_data)
  // and redelivers a status the API did not take: how an interrupted send is recognised.
  if (metaStatuses) {
    fake.autoStatuses = {
      webhookUrl: `${api.url}/api/whatsapp/webhook`,
      appSecret: BUSINESS.appSecret,
      sequence: ['sent'],
      redeliverForMs: 120_000,
    };
  }
  const stack = {
    name,
    fake,
    fakeUrl,
    proxy: faultProxy,
    api,
    apiEnv,
    mongoUri,
    client,
    chatbot,
    integration,
    mongo,
    db: mongo.db('conecta'),
    dbServer,
    webhookUrl: `${api.url}/api/whatsapp/webhook`,
    /** Starts the API again on the same port (after a crash or a stop). */
    async restartApi() {
      stack.api = await startApi({
        mongoUri,
        graphUrl,
        port: stack.api.port,
        env: apiEnv,
        dataDir: undefined,
      });
    },
    /** Stops everything; returns problems seen while stopping (a SIGTERM that did not stop). */
    async close() {
      if (process.env.RELIABILITY_DEBUG) console.log(stack.api.output());
      await stack.api.stop('SIGTERM').catch(() => undefined);
      if (stack.api.stuck) {
        console.log(
          `  ✗ the API did not exit within 15 s of SIGTERM; its last output:\n${stack.api.output().slice(-3000)}`,
        );
      }
      await mongo.close().catch(() => undefined);
      await faultProxy?.stop();
      await fake.stop();
      await dbServer.stop().catch(() => undefined);
      dbServer.remove();
    },
  };
  return stack;
}

/** Text sends recorded by the fake (read receipts excluded), by recipient wa_id. */
export function repliesByCustomer(fake) {
  const byCustomer = new Map();
  for (const m of fake.sentMessages()) {
    if (m.type !== 'text') continue;
    byCustomer.set(m.waId, (byCustomer.get(m.waId) ?? 0) + 1);
  }
  return byCustomer;
}

/** Waits until every inbox event of the scenario is finished (or the deadline passes). */
export async function waitForInboxIdle(db, { timeoutMs = 120_000, expectedMessages } = {}) {
  const inbox = db.collection('whatsapp_inbox');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await inbox.countDocuments({ state: { $in: ['pending', 'processing'] } });
    const messages = await inbox.countDocuments({ kind: 'message' });
    if (open === 0 && (expectedMessages === undefined || messages >= expectedMessages)) return true;
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
}

/**
 * The end-of-scenario counts. `expected`: wamid → customer of every message that got a 200
 * (which must be stored and answered exactly once); `offered`: every wamid sent at all (a
 * message never acknowledged may or may not be stored, but never twice).
 */
export async function countOutcome({ stack, sender }) {
  const { db, fake } = stack;
  const accepted = new Map();
  const offered = new Map();
  for (const [wamid, entry] of sender.byWamid) {
    offered.set(wamid, entry.from);
    if (entry.acceptedAt !== null) accepted.set(wamid, entry.from);
  }
  const messages = db.collection('messages');
  const userDocs = await messages
    .find({ role: 'user' }, { projection: { externalMessageId: 1, conversationId: 1 } })
    .toArray();
  const assistantDocs = await messages
    .find(
      { role: 'assistant' },
      { projection: { conversationId: 1, deliveryStatus: 1, externalMessageId: 1 } },
    )
    .toArray();
  const conversations = await db
    .collection('conversations')
    .find({}, { projection: { visitorId: 1, messageCount: 1, customerMessageCount: 1 } })
    .toArray();
  const inboxStates = {};
  for (const doc of await db
    .collection('whatsapp_inbox')
    .find({ kind: 'message' }, { projection: { state: 1 } })
    .toArray()) {
    inboxStates[doc.state] = (inboxStates[doc.state] ?? 0) + 1;
  }

  const storedCount = new Map();
  for (const m of userDocs) {
    storedCount.set(m.externalMessageId, (storedCount.get(m.externalMessageId) ?? 0) + 1);
  }
  const unexpectedStored = [...storedCount.keys()].filter((w) => !offered.has(w));
  const storedTwice = [...storedCount.values()].filter((n) => n > 1).length;
  const lostStored = [...accepted.keys()].filter((w) => !storedCount.has(w));

  // Expected replies per customer: one per stored message of theirs (burst window 0).
  const expectedReplies = new Map();
  for (const [wamid, from] of offered) {
    if (storedCount.has(wamid)) expectedReplies.set(from, (expectedReplies.get(from) ?? 0) + 1);
  }
  const replies = repliesByCustomer(fake);
  let answered = 0;
  let duplicateReplies = 0;
  let missingReplies = 0;
  let strayReplies = 0;
  for (const [from, want] of expectedReplies) {
    const got = replies.get(from) ?? 0;
    answered += Math.min(got, want);
    if (got > want) duplicateReplies += got - want;
    if (got < want) missingReplies += want - got;
  }
  for (const [from, got] of replies) if (!expectedReplies.has(from)) strayReplies += got;

  const byConversation = new Map();
  for (const a of assistantDocs) {
    const key = String(a.conversationId);
    byConversation.set(key, (byConversation.get(key) ?? 0) + 1);
  }
  const userByConversation = new Map();
  for (const u of userDocs) {
    const key = String(u.conversationId);
    userByConversation.set(key, (userByConversation.get(key) ?? 0) + 1);
  }
  let extraAssistant = 0;
  for (const [conv, n] of byConversation) {
    const want = userByConversation.get(conv) ?? 0;
    if (n > want) extraAssistant += n - want;
  }
  // Each conversation counts what it holds, whatever the crashes did to the runs that counted.
  const miscounted = conversations.filter((c) => {
    const users = userByConversation.get(String(c._id)) ?? 0;
    const all = users + (byConversation.get(String(c._id)) ?? 0);
    return c.messageCount !== all || c.customerMessageCount !== users;
  }).length;
  const notSent = assistantDocs.filter(
    (a) => !a.externalMessageId || a.deliveryStatus === 'failed',
  );
  const customers = new Set(offered.values());
  const conversationsOk =
    conversations.length === new Set([...expectedReplies.keys()]).size &&
    conversations.every((c) => customers.has(c.visitorId));

  return {
    sent: sender.posts,
    unique: offered.size,
    accepted: accepted.size,
    stored: storedCount.size,
    answered,
    duplicates: storedTwice + duplicateReplies + extraAssistant,
    lost: lostStored.length + missingReplies,
    detail: {
      storedTwice,
      duplicateReplies,
      extraAssistantMessages: extraAssistant,
      assistantNotSent: notSent.length,
      strayReplies,
      unexpectedStored: unexpectedStored.length,
      lostStored: lostStored.length,
      missingReplies,
      conversations: conversations.length,
      conversationsOk,
      miscounted,
      inboxStates,
      statuses: sender.statusCounts(),
    },
  };
}

/** The standard exactly-once checks of a counted outcome; returns failure messages. */
export function exactlyOnceProblems(outcome, { everyOfferedAccepted = true } = {}) {
  const d = outcome.detail;
  const problems = [];
  if (everyOfferedAccepted && outcome.accepted !== outcome.unique) {
    problems.push(`${outcome.unique - outcome.accepted} webhooks never got a 200`);
  }
  if (d.lostStored > 0) problems.push(`${d.lostStored} accepted messages not stored`);
  if (d.missingReplies > 0) problems.push(`${d.missingReplies} stored messages not answered`);
  if (d.storedTwice > 0) problems.push(`${d.storedTwice} messages stored twice`);
  if (d.duplicateReplies > 0) problems.push(`${d.duplicateReplies} duplicate replies sent`);
  if (d.extraAssistantMessages > 0) {
    problems.push(`${d.extraAssistantMessages} extra assistant messages stored`);
  }
  if (d.assistantNotSent > 0) problems.push(`${d.assistantNotSent} replies stored but not sent`);
  if (d.strayReplies > 0) problems.push(`${d.strayReplies} replies to unknown customers`);
  if (d.unexpectedStored > 0) problems.push(`${d.unexpectedStored} unexpected messages stored`);
  if (!d.conversationsOk) problems.push(`conversations do not match the customers`);
  if (d.miscounted > 0)
    problems.push(`${d.miscounted} conversations count other than what they hold`);
  const open = (d.inboxStates.pending ?? 0) + (d.inboxStates.processing ?? 0);
  if (open > 0) problems.push(`${open} inbox events still open`);
  if ((d.inboxStates.dead ?? 0) > 0) problems.push(`${d.inboxStates.dead} inbox events dead`);
  return problems;
}

export async function integrationStatus(stack) {
  const list = await stack.client.get('/api/v1/integrations');
  const items = Array.isArray(list) ? list : (list.items ?? list.data ?? []);
  const found = items.find((i) => i.id === stack.integration.id);
  return found?.status;
}

export async function apiHealthy(url) {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
    return res.status;
  } catch {
    return 0;
  }
}
