// Where one inbound message's processing goes: takes in a backlog of signed webhooks with the
// workers off, then drains it with one API process whose database connection runs through a
// wire-protocol counter. Prints the drain rate, the CPU the API and the database spend per event,
// and the database commands per event with their mean round trip. Needs a build (npm run build).
//
//   node bench/pipeline-profile.mjs [--events 500] [--concurrency 4] [--engine mongo-java-server]
//     [--bsuid] [--returning] [--node-env production] [--log-level info] [--cpu-prof /tmp/prof]
//
// --engine picks the embedded database (EMBEDDED_DB: ferretdb, the default, or mongo-java-server).
// --bsuid: every sender carries a business-scoped user id, as Meta's webhooks do since 2026.
// --returning: each customer has written and been answered once before (not measured), so the
// measured message lands in an existing thread; by default every message starts a new one.
// --node-env and --log-level are the draining API's NODE_ENV and LOG_LEVEL; the defaults are what a
// deployment runs (the Docker image: production, info). --cpu-prof profiles the draining API
// (node --cpu-prof, the profile kept in that folder) and prints where its CPU went during the
// drain: self time per event by package and the costliest functions.
// The run fails when any customer got more or fewer than one reply.
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  addBusiness,
  connectWhatsApp,
  requireBuilt,
  postInboundBacklog,
  signIn,
  startApi,
  startDatabase,
  table,
  waitUntil,
} from './support/stack.mjs';
import { startWireCounter } from './support/wire-counter.mjs';
import { monotonicMicros, profileFileOf, summarizeCpuProfile } from './support/cpu-profile.mjs';

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    engine: { type: 'string' },
    bsuid: { type: 'boolean', default: false },
    returning: { type: 'boolean', default: false },
    'node-env': { type: 'string', default: 'production' },
    'log-level': { type: 'string', default: 'info' },
    'cpu-prof': { type: 'string' },
  },
});
if (opts.engine) process.env.EMBEDDED_DB = opts.engine;
const N = Number(opts.events);

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const { testing } = requireBuilt();
const db = await startDatabase('profile');
const fake = new testing.FakeGraphApi();
const graphUrl = await fake.start();
addBusiness(fake);

const intake = await startApi({
  mongoUri: db.uri,
  graphUrl,
  env: { INBOX_CONCURRENCY: '0', WEBHOOK_RATE_LIMIT_PER_SECOND: '0' },
});
await connectWhatsApp(await signIn(intake.url));
const backlog = (tag) =>
  postInboundBacklog(`${intake.url}/api/whatsapp/webhook`, N, {
    tag,
    firstPhone: 20_000_000,
    bsuid: opts.bsuid,
  });
if (opts.returning) {
  // The customers' first messages, answered by a process of its own before anything is counted.
  await backlog('first');
  const warm = await startApi({
    mongoUri: db.uri,
    graphUrl,
    env: { WEBHOOK_BURST_WINDOW_MS: '0', INBOX_POLL_INTERVAL_MS: '50' },
  });
  const firstReplies = () =>
    fake.requests.filter((r) => r.endpoint === 'messages' && r.body?.type === 'text').length;
  if (!(await waitUntil(() => firstReplies() >= N, 15 * 60_000, 50))) {
    throw new Error(`the first messages were not all answered (${firstReplies()} of ${N})`);
  }
  await warm.stop();
}
await backlog('profile');
await intake.stop();

const dbUrl = new URL(db.uri);
const counter = await startWireCounter({ host: dbUrl.hostname, port: Number(dbUrl.port) });
dbUrl.port = String(counter.port);
const dbPid = Number(readFileSync(`${db.dataDir}/embedded-mongo.pid`, 'utf8'));
const dbCpu0 = cpuSeconds(dbPid);
const base = fake.requests.length;
const textSends = () =>
  fake.requests.slice(base).filter((r) => r.endpoint === 'messages' && r.body?.type === 'text');
const replies = () => textSends().length;
const profileDir = opts['cpu-prof'] ? resolve(opts['cpu-prof']) : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const started = Date.now();
const drainer = await startApi({
  mongoUri: dbUrl.toString(),
  graphUrl,
  nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  env: {
    NODE_ENV: opts['node-env'],
    LOG_LEVEL: opts['log-level'],
    WEBHOOK_BURST_WINDOW_MS: '0',
    INBOX_POLL_INTERVAL_MS: '50',
    INBOX_CONCURRENCY: opts.concurrency,
  },
});
const apiCpu0 = cpuSeconds(drainer.pid);
const drainStarted = Date.now();
const drainFromUs = monotonicMicros();
counter.reset();
const done = await waitUntil(() => replies() >= N, 15 * 60_000, 50);
const seconds = (Date.now() - drainStarted) / 1000;
const drainToUs = monotonicMicros();
const perEvent = (cpu) => ((cpu * 1000) / N).toFixed(1);
const apiCpu = cpuSeconds(drainer.pid) - apiCpu0;
const dbCpu = cpuSeconds(dbPid) - dbCpu0;
const rows = counter.rows();
const drainerOutput = drainer.output();
await drainer.stop();
await counter.close();
await db.stop();
await fake.stop();
db.remove();

console.log(
  `# Pipeline profile — ${new Date().toISOString()}, ${N} inbound messages, ${opts.concurrency} workers, ` +
    `${opts.returning ? 'returning customers (existing threads)' : 'new customers (new threads)'}, ` +
    `${opts.bsuid ? 'with' : 'without'} BSUIDs, ` +
    `API with NODE_ENV=${opts['node-env']} LOG_LEVEL=${opts['log-level']}` +
    `${profileDir ? ' under --cpu-prof' : ''}\n`,
);
console.log(
  `${done ? 'drained' : 'NOT drained:'} ${replies()} of ${N} replies in ${seconds.toFixed(1)} s ` +
    `(${(replies() / seconds).toFixed(1)} events/s; API start-up ${((drainStarted - started) / 1000).toFixed(1)} s not counted)`,
);
const perCustomer = new Map();
for (const r of textSends()) perCustomer.set(r.body.to, (perCustomer.get(r.body.to) ?? 0) + 1);
const answeredTwice = [...perCustomer.values()].filter((n) => n > 1).length;
console.log(
  `customers answered: ${perCustomer.size} of ${N}; answered more than once: ${answeredTwice}`,
);
if (answeredTwice > 0) {
  // What to look at when exactly-once broke: the repeated sends and the API's warnings.
  const twice = new Set([...perCustomer].filter(([, n]) => n > 1).map(([to]) => to));
  for (const r of textSends().filter((r) => twice.has(r.body.to))) {
    console.log(`repeated send to ${r.body.to}: ${JSON.stringify(r.body).slice(0, 200)}`);
  }
  console.log(`API output (tail):\n${drainerOutput.slice(-4000)}`);
}
console.log(`CPU per event: API ${perEvent(apiCpu)} ms, database ${perEvent(dbCpu)} ms\n`);
const total = rows.reduce((s, r) => s + r[1], 0);
console.log(`database commands per event: ${(total / N).toFixed(1)}\n`);
console.log(
  table(
    ['command collection {filter keys}', 'per event', 'mean round trip ms'],
    rows
      .filter((r) => r[1] >= N / 20)
      .map(([what, count, ms]) => [what, (count / N).toFixed(2), (ms / count).toFixed(2)]),
  ),
);
if (profileDir) {
  // Only the drain's samples: the API's start-up and shutdown are not per-event costs.
  const file = profileFileOf(profileDir, drainer.pid);
  const cpu = summarizeCpuProfile(file, { fromUs: drainFromUs, toUs: drainToUs });
  const ms = (us) => (us / 1000 / N).toFixed(2);
  const share = (us) => `${((100 * us) / cpu.totalUs).toFixed(1)}%`;
  console.log(
    `\nAPI CPU profile (${file}): ${ms(cpu.totalUs)} ms sampled per event on the main thread, ` +
      'self time, a native call counted for its JS caller. Samples count the time the thread was ' +
      'busy, waits for a CPU included (a socket write that wakes the database often yields it), ' +
      'so on a loaded machine they exceed the CPU above: compare shares.\n',
  );
  console.log(
    table(
      ['package', 'sampled ms per event', 'share'],
      cpu.packages.slice(0, 15).map((p) => [p.name, ms(p.us), share(p.us)]),
    ),
  );
  console.log('');
  console.log(
    table(
      ['function', 'package', 'sampled ms per event', 'share'],
      cpu.functions.slice(0, 15).map((f) => [f.name, f.package, ms(f.us), share(f.us)]),
    ),
  );
}
process.exit(done && answeredTwice === 0 && perCustomer.size === N ? 0 : 1);
