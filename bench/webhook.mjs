// Webhook benchmarks (npm run bench): intake against a bare node:http baseline, end-to-end reply
// latency, backlog drain, and the API's memory. Needs a build (npm run build).
//
//   node bench/webhook.mjs [--runs 4] [--seconds 10] [--connections 50] [--e2e-seconds 30]
//                          [--e2e-rate 200] [--backlog 10000]
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BUSINESS,
  ROOT,
  addBusiness,
  connectWhatsApp,
  freePort,
  median,
  percentile,
  requireBuilt,
  runJsonChild,
  signIn,
  sleep,
  postInboundBacklog,
  startApi,
  signedInboundWebhook,
  startDatabase,
  table,
  waitFor,
  waitUntil,
} from './support/stack.mjs';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'steady-rate': { type: 'string', default: '1000' },
    'e2e-seconds': { type: 'string', default: '30' },
    'e2e-rate': { type: 'string', default: '200' },
    backlog: { type: 'string', default: '10000' },
  },
});
const RUNS = Number(opts.runs);
const LOAD = join(ROOT, 'bench/support/load-webhooks.mjs');

function rssMb(pid) {
  return new Promise((resolve) => {
    const ps = spawn('ps', ['-o', 'rss=', '-p', String(pid)]);
    let out = '';
    ps.stdout.on('data', (d) => (out += d));
    ps.on('exit', () => resolve(Math.round(Number(out.trim()) / 1024)));
  });
}

const { testing } = requireBuilt();
console.log(`# Conecta webhook benchmarks — ${new Date().toISOString()}`);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);

const db = await startDatabase('bench');
const fake = new testing.FakeGraphApi();
const graphUrl = await fake.start();
addBusiness(fake);

// ---- 1. Intake: Conecta (workers off) vs bare node:http, interleaved -----------------------------
const intakeApi = await startApi({
  mongoUri: db.uri,
  graphUrl,
  env: { INBOX_CONCURRENCY: '0', WEBHOOK_RATE_LIMIT_PER_SECOND: '0', LOG_LEVEL: 'warn' },
});
const client = await signIn(intakeApi.url);
const { integration } = await connectWhatsApp(client);
const { workspace } = await client.get('/api/v1/auth/me');
const idleRss = await rssMb(intakeApi.pid);

const barePort = await freePort();
const bare = spawn(process.execPath, [join(ROOT, 'bench/bare-intake-server.mjs')], {
  cwd: ROOT,
  env: {
    ...process.env,
    MONGODB_URI: db.uri,
    APP_SECRET: BUSINESS.appSecret,
    WORKSPACE_ID: workspace.id,
    INTEGRATION_ID: integration.id,
    PORT: String(barePort),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await waitFor('the bare server', () => new Promise((r) => bare.stdout.once('data', () => r(true))));

const targets = {
  conecta: `${intakeApi.url}/api/whatsapp/webhook`,
  bare: `http://127.0.0.1:${barePort}/webhook`,
};
const results = { conecta: [], bare: [] };
for (let i = 0; i < RUNS; i += 1) {
  for (const name of ['conecta', 'bare']) {
    const r = await runJsonChild(LOAD, [
      targets[name],
      BUSINESS.appSecret,
      BUSINESS.phoneNumberId,
      opts.seconds,
      opts.connections,
    ]);
    results[name].push(r);
    console.log(
      `run ${i + 1} ${name.padEnd(7)} ${Math.round(r.rps)} req/s p50 ${r.p50} ms p99 ${r.p99} ms non2xx ${r.non2xx} errors ${r.errors}`,
    );
  }
}
const steady = await runJsonChild(LOAD, [
  targets.conecta,
  BUSINESS.appSecret,
  BUSINESS.phoneNumberId,
  opts.seconds,
  '20',
  opts['steady-rate'],
]);
bare.kill('SIGTERM');
await intakeApi.stop();

const med = (name, key) => median(results[name].map((r) => r[key]));
console.log('\n## 1. Webhook intake (signed single-message webhooks, unique wamids)\n');
console.log(
  table(
    ['server', 'req/s (median)', 'p50 ms', 'p99 ms', 'non-2xx', 'runs'],
    ['conecta', 'bare'].map((n) => [
      n === 'conecta'
        ? '(a) Conecta: guard + validation + inbox write'
        : '(b) bare node:http + HMAC + insert',
      Math.round(med(n, 'rps')),
      med(n, 'p50'),
      med(n, 'p99'),
      results[n].reduce((s, r) => s + r.non2xx + r.errors, 0),
      results[n].length,
    ]),
  ),
);
const ratio = med('conecta', 'rps') / med('bare', 'rps');
console.log(`\nratio a/b: ${ratio.toFixed(2)} (goal ≥ 0.80)`);
console.log(
  `steady ${opts['steady-rate']} webhooks/s for ${opts.seconds}s: ${Math.round(steady.rps)} req/s, p50 ${steady.p50} ms, p99 ${steady.p99} ms (goal p99 ≤ 25 ms), non-2xx ${steady.non2xx}`,
);

// ---- 2. End-to-end reply latency, then backlog drain ------------------------------------------------
// A fresh database: section 1 left thousands of pending events (its workers were off) that would
// otherwise queue ahead of these messages.
await db.stop();
db.remove();
const e2eDb = await startDatabase('bench-e2e');
const e2eApi = await startApi({
  mongoUri: e2eDb.uri,
  graphUrl,
  env: { WEBHOOK_BURST_WINDOW_MS: '0', INBOX_POLL_INTERVAL_MS: '50', LOG_LEVEL: 'warn' },
});
await connectWhatsApp(await signIn(e2eApi.url));
const webhookUrl = `${e2eApi.url}/api/whatsapp/webhook`;
const rate = Number(opts['e2e-rate']);
const seconds = Number(opts['e2e-seconds']);
const sentAt = new Map();
const replyBase = fake.requests.length;
let seq = 0;
async function post(from, text) {
  seq += 1;
  const { raw, signature } = signedInboundWebhook({
    from,
    wamid: `wamid.e2e.${Date.now()}.${seq}`,
    text,
  });
  const t0 = performance.timeOrigin + performance.now();
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body: raw,
  });
  await res.arrayBuffer();
  if (res.status === 200) sentAt.set(from, t0);
}
const total = rate * seconds;
const startedAt = Date.now();
const inflight = [];
for (let i = 0; i < total; i += 1) {
  const due = startedAt + (i * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await sleep(wait);
  inflight.push(post(`5491${String(100000000 + i)}`, 'Hola'));
}
await Promise.all(inflight);
const repliesSince = (base) =>
  fake.requests.slice(base).filter((r) => r.endpoint === 'messages' && r.body?.type === 'text')
    .length;
// Bounded: what has not arrived by then is reported as missing, not waited for forever.
const e2eComplete = await waitUntil(() => repliesSince(replyBase) >= sentAt.size, 180_000);
const missing = sentAt.size - repliesSince(replyBase);
const latencies = [];
for (const r of fake.requests.slice(replyBase)) {
  if (r.endpoint !== 'messages' || r.body?.type !== 'text') continue;
  const to = String(r.body.to).replace(/^\+/, '');
  const t0 = sentAt.get(to);
  if (t0 !== undefined) latencies.push(r.receivedAt - t0);
}
const loadRss = await rssMb(e2eApi.pid);
await e2eApi.stop();

// Backlog: intake with workers off, then one API with workers on drains it.
const backlogN = Number(opts.backlog);
const intakeOnly = await startApi({
  mongoUri: e2eDb.uri,
  graphUrl,
  env: { INBOX_CONCURRENCY: '0', WEBHOOK_RATE_LIMIT_PER_SECOND: '0', LOG_LEVEL: 'warn' },
});
const intakeUrl = `${intakeOnly.url}/api/whatsapp/webhook`;
const backlogBase = fake.requests.length;
await postInboundBacklog(intakeUrl, backlogN, { tag: 'backlog', firstPhone: 10_000_000 });
await intakeOnly.stop();
const drainStart = Date.now();
const drainer = await startApi({
  mongoUri: e2eDb.uri,
  graphUrl,
  env: { WEBHOOK_BURST_WINDOW_MS: '0', INBOX_POLL_INTERVAL_MS: '50', LOG_LEVEL: 'warn' },
});
const drained = await waitUntil(() => repliesSince(backlogBase) >= backlogN, 15 * 60_000);
const drainSeconds = (Date.now() - drainStart) / 1000;
const drainedCount = repliesSince(backlogBase);
await drainer.stop();

console.log('\n## 2. End-to-end reply latency (webhook POST → reply at the fake Graph API)\n');
console.log(
  table(
    ['load', 'replies', 'p50 ms', 'p99 ms', 'goal'],
    [
      [
        `${rate}/s for ${seconds}s, rules responder, burst window 0`,
        `${latencies.length} of ${sentAt.size}${e2eComplete ? '' : ` (${missing} missing after 180 s)`}`,
        percentile(latencies, 50).toFixed(1),
        percentile(latencies, 99).toFixed(1),
        'p50 ≤ 50, p99 ≤ 200',
      ],
    ],
  ),
);
console.log(
  drained
    ? `\nbacklog of ${backlogN} inbox events drained by one API process in ${drainSeconds.toFixed(1)} s (${Math.round(backlogN / drainSeconds)} events/s, including API start-up)`
    : `\nbacklog of ${backlogN} inbox events: only ${drainedCount} answered after ${drainSeconds.toFixed(0)} s (${(drainedCount / drainSeconds).toFixed(1)} events/s)`,
);

console.log('\n## 4. Memory (API RSS)\n');
console.log(
  table(
    ['moment', 'RSS MB', 'goal'],
    [
      ['idle, after start-up', idleRss, ''],
      ['end of benchmark 2', loadRss, '≤ 250'],
    ],
  ),
);

await fake.stop();
await e2eDb.stop();
e2eDb.remove();
