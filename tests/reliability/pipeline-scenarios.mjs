// Scenarios 1–5: faults around the webhook pipeline, each checked for exactly-once at the end.
import {
  MetaSender,
  apiHealthy,
  countOutcome,
  customer,
  exactlyOnceProblems,
  inboundWebhook,
  integrationStatus,
  sleep,
  startApi,
  startScenarioStack,
  waitForInboxIdle,
} from './support.mjs';

function shuffle(list, random = Math.random) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** Waits for the inbox to drain, then a short grace period in which a stray duplicate could show. */
async function drain(stack, sender, { timeoutMs = 120_000 } = {}) {
  const settled = await sender.settle(timeoutMs);
  const idle = settled && (await waitForInboxIdle(stack.db, { timeoutMs }));
  await sleep(750);
  return idle;
}

export async function redeliveries({ scale }) {
  const unique = Math.round(2000 * scale);
  const stack = await startScenarioStack({ name: 'redeliver', metaStatuses: false });
  try {
    const sender = new MetaSender({ url: stack.webhookUrl });
    const hooks = Array.from({ length: unique }, (_, i) =>
      inboundWebhook(customer(1, i), `Hola, ¿tienen envío? #${i}`),
    );
    const deliveries = [];
    let repeated = 0;
    for (const hook of hooks) {
      deliveries.push(hook);
      if (Math.random() < 0.2) {
        repeated += 1;
        const extra = Math.random() < 0.5 ? 1 : 2;
        for (let k = 0; k < extra; k++) deliveries.push(hook);
      }
    }
    shuffle(deliveries);
    await sender.deliverAll(deliveries, 16);
    const idle = await drain(stack, sender);
    const outcome = await countOutcome({ stack, sender });
    const problems = exactlyOnceProblems(outcome);
    if (!idle) problems.push('the inbox did not drain in time');
    if (outcome.sent < deliveries.length) problems.push('not every delivery was posted');
    return {
      outcome,
      problems,
      notes: [
        `${unique} unique webhooks, ${repeated} of them redelivered (${deliveries.length} deliveries, shuffled, 16 at a time)`,
      ],
    };
  } finally {
    await stack.close();
  }
}

export async function graphOutage({ scale }) {
  // The inbox retries every failed send with backoff (base INBOX_RETRY_BASE_MS, doubling, 8
  // attempts): with a 250 ms base the attempts span about a minute, more than the 20 s outage.
  const stack = await startScenarioStack({
    name: 'graphdown',
    proxy: true,
    env: { INBOX_RETRY_BASE_MS: '250', INBOX_MAX_ATTEMPTS: '8' },
  });
  try {
    const rate = 15 * scale;
    const total = Math.round(rate * 32);
    const sender = new MetaSender({ url: stack.webhookUrl });
    const hooks = Array.from({ length: total }, (_, i) =>
      inboundWebhook(customer(2, i), `¿Abren el domingo? #${i}`),
    );
    const timeline = {};
    const outage = (async () => {
      await sleep(5_000);
      timeline.downAt = Date.now();
      await stack.proxy.down();
      await sleep(10_000);
      await stack.proxy.up();
      stack.proxy.mode = 'fail500';
      timeline.fail500At = Date.now();
      await sleep(10_000);
      stack.proxy.mode = 'forward';
      timeline.upAt = Date.now();
    })();
    await sender.stream(hooks, rate);
    await outage;
    const idle = await drain(stack, sender);
    const outcome = await countOutcome({ stack, sender });
    const problems = exactlyOnceProblems(outcome);
    if (!idle) problems.push('the inbox did not drain in time');
    const status = await integrationStatus(stack);
    if (status === 'error') problems.push('the integration was flipped to error');
    // Replies whose send happened during the outage must have reached the fake after it.
    const sends = stack.fake.sentMessages().length;
    const duringOutage = stack.fake
      .requestsTo('messages')
      .filter((r) => r.receivedAt > timeline.downAt && r.receivedAt < timeline.upAt).length;
    if (duringOutage > 0) problems.push(`${duringOutage} sends reached Meta during the outage`);
    const lastReply = Math.max(...stack.fake.requestsTo('messages').map((r) => r.receivedAt));
    return {
      outcome,
      problems,
      notes: [
        `${total} webhooks at ${rate.toFixed(1)}/s; Graph API refused connections for 10 s, then answered 500 for 10 s (${stack.proxy.answered500} answers); ${sends} replies sent; last reply ${((lastReply - timeline.upAt) / 1000).toFixed(1)} s after recovery; integration status: ${status}`,
        'env: INBOX_RETRY_BASE_MS=250 (inbox backoff 0.25 s doubling, 8 attempts ≈ 60 s span)',
      ],
    };
  } finally {
    await stack.close();
  }
}

export async function throttlingStorm({ scale }) {
  const stack = await startScenarioStack({ name: 'throttle', metaStatuses: false });
  try {
    const total = Math.round(300 * scale);
    const codes = [130429, 131056, 80007];
    // Every other call to /messages (sends and read receipts) is throttled, cycling the codes.
    const slots = total * 2;
    for (let i = 0; i < slots; i++) {
      stack.fake.failNext('messages', 1, i % 2 === 0 ? { code: codes[(i / 2) % 3] } : {});
    }
    const sender = new MetaSender({ url: stack.webhookUrl });
    const hooks = Array.from({ length: total }, (_, i) =>
      inboundWebhook(customer(3, i), `Quiero pedir #${i}`),
    );
    const sentAt = new Map();
    await sender.stream(hooks, 30 * scale, (i) => sentAt.set(hooks[i].from, Date.now()));
    const idle = await drain(stack, sender, { timeoutMs: 180_000 });
    const outcome = await countOutcome({ stack, sender });
    const problems = exactlyOnceProblems(outcome);
    if (!idle) problems.push('the inbox did not drain in time');

    // Backoff in the timing: the gap between two send attempts to one customer.
    const attempts = new Map();
    for (const r of stack.fake.requestsTo('messages')) {
      const body = r.body;
      if (!body || typeof body !== 'object' || body.type !== 'text') continue;
      const waId = String(body.to).replace(/\D/g, '');
      if (!attempts.has(waId)) attempts.set(waId, []);
      attempts.get(waId).push(r.receivedAt);
    }
    const gaps = [];
    const latencyRetried = [];
    const latencyDirect = [];
    for (const [waId, times] of attempts) {
      for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
      const latency = times.at(-1) - (sentAt.get(waId) ?? times[0]);
      (times.length > 1 ? latencyRetried : latencyDirect).push(latency);
    }
    const med = (v) => (v.length ? [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] : NaN);
    const minGap = gaps.length ? Math.min(...gaps) : NaN;
    // The graph client's first retry waits at least half its base delay (500 ms): 250 ms.
    if (gaps.length === 0) problems.push('no send was retried: the storm did not happen');
    else if (minGap < 225)
      problems.push(`a retry came only ${minGap.toFixed(0)} ms after a throttle`);
    // (Reply latencies are reported, not compared: once the stream outruns the workers, time in
    // the queue dominates both groups and says nothing about backoff.)
    return {
      outcome,
      problems,
      notes: [
        `${total} webhooks at ${(30 * scale).toFixed(1)}/s; ${slots / 2} of the first ${slots} /messages calls throttled (130429, 131056, 80007 in turn)`,
        `${gaps.length} send retries; gap between attempts min ${minGap.toFixed(0)} ms, median ${med(gaps).toFixed(0)} ms, max ${Math.max(...gaps).toFixed(0)} ms; reply latency median ${med(latencyDirect).toFixed(0)} ms unthrottled vs ${med(latencyRetried).toFixed(0)} ms throttled`,
      ],
    };
  } finally {
    await stack.close();
  }
}

export async function apiKilled({ scale }) {
  // A dead process's claims are taken over once their lease expires: 3 s instead of 60 s.
  const stack = await startScenarioStack({
    name: 'sigkill',
    env: { INBOX_LEASE_MS: '3000' },
  });
  try {
    const rate = 20 * scale;
    const total = Math.round(rate * 20);
    const sender = new MetaSender({ url: stack.webhookUrl });
    const hooks = Array.from({ length: total }, (_, i) =>
      inboundWebhook(customer(4, i), `¿Hay stock? #${i}`),
    );
    let killedAt;
    let restartedAt;
    const crash = (async () => {
      await sleep(7_000);
      killedAt = Date.now();
      await stack.api.stop('SIGKILL');
      await stack.restartApi();
      restartedAt = Date.now();
    })();
    await sender.stream(hooks, rate);
    await crash;
    const idle = await drain(stack, sender);
    const outcome = await countOutcome({ stack, sender });
    const problems = exactlyOnceProblems(outcome);
    if (!idle) problems.push('the inbox did not drain in time');
    const refused = Object.entries(outcome.detail.statuses)
      .filter(([k]) => k.startsWith('conn:'))
      .reduce((n, [, v]) => n + v, 0);
    if (refused === 0)
      problems.push('no webhook hit the dead process: the kill did not happen mid-stream');
    return {
      outcome,
      problems,
      notes: [
        `${total} webhooks at ${rate.toFixed(1)}/s; API killed with SIGKILL ${killedAt - (restartedAt - 1) > 0 ? '' : ''}at t≈7 s, healthy again after ${((restartedAt - killedAt) / 1000).toFixed(1)} s; ${refused} deliveries failed to connect and were redelivered`,
        'env: INBOX_LEASE_MS=3000 (a dead worker’s claims are taken over after 3 s)',
      ],
    };
  } finally {
    await stack.close();
  }
}

export async function databaseOutage({ scale }) {
  const stack = await startScenarioStack({ name: 'dbdown' });
  const { dbServer } = stack;
  try {
    const rate = 15 * scale;
    const total = Math.round(rate * 25);
    const sender = new MetaSender({ url: stack.webhookUrl, timeoutMs: 15_000 });
    const hooks = Array.from({ length: total }, (_, i) =>
      inboundWebhook(customer(5, i), `Necesito ayuda #${i}`),
    );
    const timeline = {};
    const outage = (async () => {
      await sleep(5_000);
      timeline.downAt = Date.now();
      await dbServer.stop();
      await sleep(10_000);
      await dbServer.restart();
      timeline.upAt = Date.now();
    })();
    await sender.stream(hooks, rate);
    await outage;
    const idle = await drain(stack, sender);
    const outcome = await countOutcome({ stack, sender });
    const problems = exactlyOnceProblems(outcome);
    if (!idle) problems.push('the inbox did not drain in time');
    const statuses = outcome.detail.statuses;
    const bad = Object.keys(statuses).filter(
      (k) => k !== '200' && k !== '503' && !k.startsWith('conn:'),
    );
    if (bad.length > 0) {
      problems.push(
        `answers other than 200/503 during the outage: ${bad.map((k) => `${k}×${statuses[k]}`).join(', ')}`,
      );
    }
    if (!statuses['503']) problems.push('no webhook got a 503 while the database was down');
    // Nothing answered 200 during the outage: a 200 means stored.
    let acceptedDuringOutage = 0;
    for (const entry of sender.byWamid.values()) {
      for (const a of entry.attempts) {
        if (a.status === 200 && a.at > timeline.downAt + 500 && a.at < timeline.upAt - 500) {
          acceptedDuringOutage += 1;
        }
      }
    }
    const health = await apiHealthy(stack.api.url);
    if (health !== 200) problems.push(`health answers ${health} after the outage`);
    if (stack.api.child.exitCode !== null) problems.push('the API process exited');
    if (problems.length > 0) {
      const tail = stack.api
        .output()
        .split('\n')
        .filter((l) => l.trim())
        .slice(-8)
        .map((l) => l.slice(0, 300));
      problems.push(`API output (last lines):\n      ${tail.join('\n      ')}`);
    }
    return {
      outcome,
      problems,
      notes: [
        `${total} webhooks at ${rate.toFixed(1)}/s; database stopped for 10 s at t≈5 s; answers: ${Object.entries(
          statuses,
        )
          .map(([k, v]) => `${k}×${v}`)
          .join(
            ', ',
          )}; ${acceptedDuringOutage} deliveries started while it was down were answered 200 (stored once the database was back, within the intake timeout)`,
      ],
    };
  } finally {
    await stack.close();
  }
}

/**
 * Customers whose replies were not sent in the order their messages were taken in: each
 * customer's inbox events in intake order (`receivedAt`) → the reply each produced → that reply's
 * position among the fake's sends, which must grow. Two messages stored less than a second apart
 * are not compared: the inbox orders a queue by ObjectId, whose time part counts seconds, and two
 * API processes draw different random parts (docs/deploy.md).
 */
async function outOfOrderCustomers(stack) {
  const { db, fake } = stack;
  const wamidOf = new Map();
  for (const a of await db
    .collection('messages')
    .find({ role: 'assistant' }, { projection: { externalMessageId: 1 } })
    .toArray()) {
    wamidOf.set(String(a._id), a.externalMessageId);
  }
  const position = new Map(fake.sentMessages().map((m, i) => [m.wamid, i]));
  const last = new Map();
  const outOfOrder = new Set();
  for (const doc of await db
    .collection('whatsapp_inbox')
    .find(
      { kind: 'message' },
      { projection: { queueKey: 1, receivedAt: 1, 'progress.replyMessageId': 1 } },
    )
    .sort({ receivedAt: 1 })
    .toArray()) {
    const at = position.get(wamidOf.get(doc.progress?.replyMessageId));
    if (at === undefined) continue;
    const previous = last.get(doc.queueKey);
    const apart = previous ? doc.receivedAt.getTime() - previous.receivedAt.getTime() : Infinity;
    if (previous && at < previous.at && apart >= 1000) outOfOrder.add(doc.queueKey);
    last.set(doc.queueKey, { at, receivedAt: doc.receivedAt });
  }
  return outOfOrder.size;
}

/**
 * Customers answered twice whose first copy reached the fake in the last second before the kill,
 * from an event the killed worker held: the send was in flight when the process died.
 */
async function repliesInFlightAtKill(stack, killedPid, killedAt) {
  const held = new Set();
  for (const c of await stack.db
    .collection('whatsapp_inbox_claims')
    .find({ workerId: { $regex: `:${killedPid}:` } })
    .toArray()) {
    held.add(c._id.split(':')[0]);
  }
  const heldCustomers = new Set();
  const messagesOf = new Map();
  for (const doc of await stack.db
    .collection('whatsapp_inbox')
    .find({ kind: 'message' }, { projection: { queueKey: 1 } })
    .toArray()) {
    const waId = doc.queueKey.split(':')[1];
    messagesOf.set(waId, (messagesOf.get(waId) ?? 0) + 1);
    if (held.has(String(doc._id))) heldCustomers.add(waId);
  }
  const sends = new Map();
  for (const r of stack.fake.requestsTo('messages')) {
    if (r.body?.type !== 'text') continue;
    const waId = String(r.body.to).replace(/\D/g, '');
    sends.set(waId, [...(sends.get(waId) ?? []), r.receivedAt]);
  }
  const customers = [];
  for (const [waId, times] of sends) {
    // One copy too many, for a customer the killed worker held, sent in its last second.
    if (times.length !== (messagesOf.get(waId) ?? 0) + 1 || !heldCustomers.has(waId)) continue;
    if (times.some((t) => t <= killedAt && t > killedAt - 1000)) customers.push(waId);
  }
  return customers;
}

/** Inbox events the killed worker had claimed that the other worker claimed after it. */
async function takenOverFrom(stack, killedPid) {
  const claims = await stack.db.collection('whatsapp_inbox_claims').find({}).toArray();
  const byEvent = new Map();
  for (const c of claims) {
    const [eventId, seq] = c._id.split(':');
    byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), { seq: Number(seq), c }]);
  }
  let taken = 0;
  for (const list of byEvent.values()) {
    list.sort((a, b) => a.seq - b.seq);
    const killed = ({ c }) => c.workerId.includes(`:${killedPid}:`);
    const first = list.findIndex(killed);
    if (first >= 0 && list.slice(first + 1).some((claim) => !killed(claim))) taken += 1;
  }
  return taken;
}

/**
 * For a failed run: each customer answered more often than they wrote, with the times (seconds
 * from the kill) of the replies Meta received and of every claim of their events, by which worker.
 */
async function duplicateTrace(stack, killedPid, killedAt) {
  const rel = (t) => ((t - killedAt) / 1000).toFixed(2);
  const sends = new Map();
  for (const r of stack.fake.requestsTo('messages')) {
    if (r.body?.type !== 'text') continue;
    const waId = String(r.body.to).replace(/\D/g, '');
    sends.set(waId, [...(sends.get(waId) ?? []), `${rel(r.receivedAt)} "${r.body.text?.body}"`]);
  }
  const events = await stack.db
    .collection('whatsapp_inbox')
    .find({ kind: 'message' }, { projection: { queueKey: 1, attempts: 1, claimSeq: 1 } })
    .toArray();
  const lines = [];
  for (const [waId, times] of sends) {
    const own = events.filter((e) => e.queueKey.endsWith(`:${waId}`));
    if (times.length <= own.length) continue;
    const claims = [];
    for (const e of own) {
      for (const c of await stack.db
        .collection('whatsapp_inbox_claims')
        .find({ _id: { $regex: `^${e._id}:` } })
        .toArray()) {
        const who = c.workerId.includes(`:${killedPid}:`) ? 'killed' : c.workerId.split(':')[1];
        claims.push(`${c._id.slice(-6)} by ${who} at ${rel(c.at.getTime())}`);
      }
    }
    lines.push(`customer ${waId}: replies at ${times.join(', ')}; claims ${claims.join('; ')}`);
  }
  return lines;
}

export async function multiProcess({ scale }) {
  // Two intake processes and two worker processes on one database; a killed worker's claims
  // are taken over by the other once their lease (10 s) expires. Not shorter: a live worker
  // starved of CPU for longer than its lease would lose a running event to the other worker.
  const lease = { INBOX_LEASE_MS: '10000' };
  const stack = await startScenarioStack({
    name: 'multiprocess',
    env: { ROLE: 'api', INBOX_CONCURRENCY: '0' },
  });
  const started = [];
  try {
    const more = (env) =>
      startApi({
        mongoUri: stack.mongoUri,
        graphUrl: stack.fakeUrl,
        env: { ...stack.apiEnv, ...env },
      });
    const api2 = await more({});
    started.push(api2);
    const workers = [];
    for (let i = 0; i < 2; i++) {
      const worker = await more({ ROLE: 'worker', INBOX_CONCURRENCY: '4', ...lease });
      started.push(worker);
      workers.push(worker);
    }
    const customers = Math.round(40 * scale);
    const perCustomer = 10;
    const rate = 30 * scale;
    // Round robin over the customers: each customer sends a message about every 1.3 s.
    const hooks = [];
    for (let k = 0; k < perCustomer; k++) {
      for (let c = 0; c < customers; c++) {
        const hook = inboundWebhook(customer(7, c), `Pedido ${k + 1} de ${perCustomer}`);
        hooks.push(hook);
      }
    }
    // Meta redelivers about 20% of them once or twice, a little later.
    const deliveries = [...hooks];
    let repeated = 0;
    hooks.forEach((hook, i) => {
      if (Math.random() >= 0.2) return;
      repeated += 1;
      for (let n = Math.random() < 0.5 ? 1 : 2; n > 0; n--) {
        const at = Math.min(deliveries.length, i + 1 + Math.floor(Math.random() * 60));
        deliveries.splice(at, 0, hook);
      }
    });
    const sender = new MetaSender({ urls: [stack.webhookUrl, `${api2.url}/api/whatsapp/webhook`] });
    let killedAt;
    const crash = (async () => {
      await sleep(6_000);
      killedAt = Date.now();
      await workers[0].stop('SIGKILL');
    })();
    const streamStarted = Date.now();
    await sender.stream(deliveries, rate);
    await crash;
    const idle = await drain(stack, sender);
    const outcome = await countOutcome({ stack, sender });
    // A reply whose send was in flight when its worker was killed reached Meta, but the worker
    // never learnt its wamid: the takeover sends it again. Meta has no idempotency key, so only
    // that window is allowed a second copy (reported); any other duplicate fails.
    const inFlight = await repliesInFlightAtKill(stack, workers[0].pid, killedAt);
    const problems = exactlyOnceProblems({
      ...outcome,
      detail: {
        ...outcome.detail,
        duplicateReplies: Math.max(0, outcome.detail.duplicateReplies - inFlight.length),
      },
    });
    if (problems.length > 0) {
      problems.push(...(await duplicateTrace(stack, workers[0].pid, killedAt)));
    }
    if (!idle) problems.push('the inbox did not drain in time');
    const outOfOrder = await outOfOrderCustomers(stack);
    if (outOfOrder > 0) problems.push(`${outOfOrder} customers answered out of order`);
    if (killedAt - streamStarted > (deliveries.length / rate) * 1000) {
      problems.push('the worker was killed after the stream: not mid-stream');
    }
    const claimedByKilled = await stack.db
      .collection('whatsapp_inbox_claims')
      .countDocuments({ workerId: { $regex: `:${workers[0].pid}:` } });
    if (claimedByKilled === 0) problems.push('the killed worker had claimed nothing');
    const takenOver = await takenOverFrom(stack, workers[0].pid);
    return {
      outcome,
      problems,
      notes: [
        `${customers} customers × ${perCustomer} messages (${deliveries.length} deliveries, ${repeated} redelivered) at ${rate.toFixed(0)}/s through two ROLE=api processes; two ROLE=worker processes, one killed with SIGKILL at t≈6 s after ${claimedByKilled} claims`,
        'env: INBOX_LEASE_MS=10000 on the workers (the survivor takes over after 10 s)',
        `${takenOver} events the killed worker held were taken over by the survivor`,
        `${inFlight.length} replies sent twice because their send was in flight at the kill (customers ${inFlight.join(', ') || '–'}); no other duplicates allowed`,
      ],
    };
  } finally {
    for (const p of started) await p.stop('SIGTERM').catch(() => undefined);
    await stack.close();
  }
}
