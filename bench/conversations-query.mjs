// Conversation list benchmark: seeds conversations and messages into the embedded database (or
// MONGODB_URI) and times the real ConversationsService/Repository from the API build: the first
// page, the second and a deep cursor page, a channel- and a state-filtered page, the counts (the
// aggregation they were, and the counters of migration 0023 that they are), and the search (by a
// name without its accent, by the shown last digits, by a message word) after the search-term
// backfill of migration 0014 over the seeded rows (its time is printed too).
//
//   npm run build:libs && npx tsc -p apps/api/tsconfig.app.json   (or: npm run build)
//   node bench/conversations-query.mjs [--conversations 100000] [--messages 1000000] [--iterations 15]
//
// Quick check: node bench/conversations-query.mjs --conversations 2000 --messages 20000 --iterations 5
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, median, percentile } from './support/stack.mjs';

const { values: opts } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '1000000' },
    iterations: { type: 'string', default: '15' },
    batch: { type: 'string', default: '5000' },
    // Lists and counts only: no search-term backfill (minutes at 100,000 conversations).
    'skip-search': { type: 'boolean', default: false },
    // Conversations stored without their day, as before migration 0023: it backfills them.
    legacy: { type: 'boolean', default: false },
  },
});
const N_CONV = Number(opts.conversations);
const N_MSG = Number(opts.messages);
const ITER = Number(opts.iterations);
const BATCH = Number(opts.batch);

const require = createRequire(import.meta.url);
function built(path) {
  try {
    return require(join(ROOT, 'apps/api/dist', path));
  } catch (err) {
    throw new Error(`build the API first (npm run build): ${err.message}`);
  }
}
const { ConversationsRepository } = built('conversations/conversations.repository.js');
const { ConversationsService } = built('conversations/conversations.service.js');
const { MessagesRepository } = built('conversations/messages.repository.js');
const { ConversationSchema } = built('conversations/conversation.schema.js');
const { MessageSchema } = built('conversations/message.schema.js');
const { encodeCursor } = built('conversations/cursor.js');
const { Migrator } = built('database/migrator.js');
const { SearchTermsRepository } = built('conversations/search-terms.repository.js');
const { SearchTermSchema } = built('conversations/search-term.schema.js');
const { m0014ConversationSearch } = built('database/migrations/0014-conversation-search.js');
const { m0023ConversationCounters } = built('database/migrations/0023-conversation-counters.js');
const { ConversationCountersRepository } = built(
  'conversations/conversation-counters.repository.js',
);
const mongoose = require('mongoose');

const log = (line) => process.stderr.write(`${line}\n`);

async function startDb() {
  if (process.env.MONGODB_URI)
    return { uri: process.env.MONGODB_URI, kind: 'MONGODB_URI', async stop() {} };
  const { startEmbeddedMongo } = require(join(ROOT, 'tools/embedded-mongo'));
  const dataDir = mkdtempSync(join(tmpdir(), 'conecta-bench-conv-'));
  const server = await startEmbeddedMongo({ dataDir, log: () => {} });
  return {
    uri: server.uri,
    kind: server.kind,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const hex = (n) => n.toString(16).padStart(24, '0');
const WORKSPACE = hex(1);
const OTHER_WORKSPACE = hex(2);
const CHATBOTS = [hex(11), hex(12)];
const CHANNELS = [
  'whatsapp',
  'whatsapp',
  'whatsapp',
  'web',
  'web',
  'web',
  'whatsapp',
  'web',
  'whatsapp',
  'telegram',
];
const DAY = 86_400_000;

// Messages are spread evenly: conversation j holds messages [j * perConv, (j + 1) * perConv).
const perConv = Math.max(1, Math.floor(N_MSG / N_CONV));
const messagesOf = (j) => {
  const start = j * perConv;
  const end = j === N_CONV - 1 ? N_MSG : Math.min(N_MSG, start + perConv);
  return Math.max(0, end - start);
};

async function seed(db) {
  const now = Date.now();
  const conversations = db.collection('conversations');
  const messages = db.collection('messages');
  const convMeta = [];
  const started = Date.now();
  for (let i = 0; i < N_CONV; i += BATCH) {
    const docs = [];
    for (let j = i; j < Math.min(N_CONV, i + BATCH); j++) {
      const channel = CHANNELS[j % CHANNELS.length];
      // 90% in the measured workspace, the rest elsewhere; activity spread over 90 days.
      const workspaceId = j % 10 === 9 ? OTHER_WORKSPACE : WORKSPACE;
      const lastMessageAt = new Date(now - Math.floor(Math.random() * 90 * DAY));
      const phone = `52155${String(10_000_000 + j).slice(-8)}`;
      const _id = new mongoose.Types.ObjectId();
      convMeta.push({ _id, workspaceId, channel, lastMessageAt });
      docs.push({
        _id,
        // Stored as the API stores it since migration 0016: an ObjectId.
        workspaceId: new mongoose.Types.ObjectId(workspaceId),
        chatbotId: CHATBOTS[j % 2],
        channel,
        sessionId: channel === 'whatsapp' ? `pn:${phone}` : `s${j}`,
        visitorId: channel === 'whatsapp' ? phone : `s${j}`,
        visitorIp: null,
        contactName: channel === 'whatsapp' ? `Cliente ${j} Núñez` : null,
        integrationId: null,
        status: j % 7 === 0 ? 'closed' : 'open',
        isFavorite: j % 50 === 0,
        messageCount: messagesOf(j),
        lastMessageAt,
        // As the API writes it since migration 0023 (`--legacy` leaves it for the migration).
        ...(opts.legacy ? {} : { activityDay: lastMessageAt.toISOString().slice(0, 10) }),
        lastMessagePreview: `mensaje ${j}`,
        startedAt: new Date(lastMessageAt.getTime() - DAY),
        endedAt: null,
        createdAt: new Date(lastMessageAt.getTime() - DAY),
        updatedAt: lastMessageAt,
      });
    }
    await conversations.insertMany(docs, { ordered: false });
  }
  log(`seeded ${N_CONV} conversations in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  let inserted = 0;
  const mStarted = Date.now();
  let batch = [];
  for (let k = 0; k < N_MSG; k++) {
    const conv = convMeta[Math.min(convMeta.length - 1, Math.floor(k / perConv))];
    const offset = (perConv - (k % perConv)) * 60_000;
    batch.push({
      workspaceId: new mongoose.Types.ObjectId(conv.workspaceId),
      conversationId: conv._id,
      role: k % 2 ? 'assistant' : 'user',
      channel: conv.channel,
      content: `texto ${k} ${randomBytes(6).toString('hex')}`,
      deleted: false,
      createdAt: new Date(conv.lastMessageAt.getTime() - offset),
      ...(k % 2 && conv.channel === 'whatsapp'
        ? { deliveryStatus: 'read', externalMessageId: `wamid.${k}` }
        : {}),
    });
    if (batch.length === BATCH) {
      await messages.insertMany(batch, { ordered: false });
      inserted += batch.length;
      batch = [];
      if (inserted % 100_000 === 0) {
        log(
          `  ${inserted} messages (${Math.round(inserted / ((Date.now() - mStarted) / 1000))}/s)`,
        );
      }
    }
  }
  if (batch.length) await messages.insertMany(batch, { ordered: false });
  log(`seeded ${N_MSG} messages in ${((Date.now() - mStarted) / 1000).toFixed(1)}s`);
  return convMeta;
}

async function time(label, iterations, fn) {
  log(`timing ${label}`);
  await fn(); // warm-up
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const result = { label, median: median(samples), p95: percentile(samples, 95) };
  // Printed as it comes: on the embedded database a full run takes a while.
  log(`  ${label}: median ${result.median.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms`);
  return result;
}

async function main() {
  const db = await startDb();
  const dbName = `bench_conv_${randomBytes(3).toString('hex')}`;
  const conn = await mongoose
    .createConnection(db.uri, { dbName, autoIndex: false, autoCreate: false })
    .asPromise();
  try {
    await new Migrator(conn.db).up();
    log('indexes created');
    const convMeta = await seed(conn.db);
    const messageModel = conn.model('Message', MessageSchema);
    const conversationModel = conn.model('Conversation', ConversationSchema);
    const repo = new ConversationsRepository(
      conversationModel,
      new ConversationCountersRepository(conn),
    );
    const searchTerms = new SearchTermsRepository(
      conn.model('SearchTerm', SearchTermSchema),
      messageModel,
    );
    // Only what the list and the counts use: no viewer (no read marks), no events or audit.
    const service = new ConversationsService(
      repo,
      new MessagesRepository(messageModel),
      searchTerms,
      null,
      null,
      null,
      null,
      { now: () => new Date() },
    );
    const countersStarted = Date.now();
    await m0023ConversationCounters.up(conn.db);
    const countersMs = Date.now() - countersStarted;
    log(`counters built in ${(countersMs / 1000).toFixed(1)}s`);
    const backfillStarted = Date.now();
    if (!opts['skip-search']) await m0014ConversationSearch.up(conn.db);
    const backfillMs = Date.now() - backfillStarted;
    log(`search terms backfilled in ${(backfillMs / 1000).toFixed(1)}s`);
    const someWord = opts['skip-search']
      ? ''
      : (
          await messageModel
            .findOne({ workspaceId: new mongoose.Types.ObjectId(WORKSPACE) })
            .sort({ _id: -1 })
            .lean()
            .exec()
        ).content.split(' ')[2];

    // The position halfway down the measured workspace's list (found once, not timed).
    const mine = convMeta
      .filter((c) => c.workspaceId === WORKSPACE)
      .sort(
        (x, y) =>
          y.lastMessageAt - x.lastMessageAt || (y._id.toHexString() < x._id.toHexString() ? -1 : 1),
      );
    const middle = mine[Math.floor(mine.length / 2)];
    const deepCursor = encodeCursor({ at: middle.lastMessageAt, id: middle._id.toHexString() });

    const results = [];
    results.push(await time('first page (20)', ITER, () => service.list(WORKSPACE, { limit: 20 })));
    results.push(
      await time(`deep cursor page (20, after #${mine.length / 2})`, ITER, () =>
        service.list(WORKSPACE, { limit: 20, cursor: deepCursor }),
      ),
    );
    results.push(
      await time('channel-filtered page (whatsapp, 20)', ITER, () =>
        service.list(WORKSPACE, { limit: 20, channel: 'whatsapp' }),
      ),
    );
    const firstPage = await service.list(WORKSPACE, { limit: 20 });
    results.push(
      await time('second page (cursor of the first)', ITER, () =>
        service.list(WORKSPACE, { limit: 20, cursor: firstPage.nextCursor }),
      ),
    );
    results.push(
      await time('open conversations, first page (20)', ITER, () =>
        service.list(WORKSPACE, { limit: 20, status: 'open' }),
      ),
    );
    // Before: the two aggregations the counts endpoint ran until the counters (decision 0023).
    const workspaceOid = new mongoose.Types.ObjectId(WORKSPACE);
    results.push(
      await time('counts by aggregation (before)', ITER, () =>
        Promise.all([
          conversationModel
            .aggregate([
              { $match: { workspaceId: workspaceOid } },
              { $group: { _id: '$channel', n: { $sum: 1 } } },
            ])
            .exec(),
          conversationModel
            .aggregate([
              { $match: { workspaceId: workspaceOid } },
              { $group: { _id: { status: '$status', assigneeId: '$assigneeId' }, n: { $sum: 1 } } },
            ])
            .exec(),
        ]),
      ),
    );
    results.push(
      await time('counts from counters (snapshot)', ITER, () => service.counts(WORKSPACE)),
    );
    // Changes leave deltas a read adds up until it folds them (at 100): the worst case is 99.
    for (const c of mine.slice(0, 90)) {
      await repo.updateConversation(
        WORKSPACE,
        c._id.toHexString(),
        { status: 'pending' },
        new Date(),
      );
    }
    results.push(
      await time('counts from counters (+90 deltas)', ITER, () => service.counts(WORKSPACE)),
    );
    const counted = await service.counts(WORKSPACE);
    const real = await conversationModel.countDocuments({ workspaceId: workspaceOid }).exec();
    if (counted.all !== real) throw new Error(`counters say ${counted.all}, a count ${real}`);
    if (counted.states.pending !== 90) throw new Error('the 90 changes were not counted');
    const searches = [
      ['search "cliente 42 nunez" (name, no accent)', 'cliente 42 nunez'],
      ['search "0042" (shown last digits)', '0042'],
      [`search "${someWord}" (a message word)`, someWord],
      ['search "cliente" (a word of half the list)', 'cliente'],
    ];
    for (const [label, q] of opts['skip-search'] ? [] : searches) {
      results.push(await time(label, ITER, () => service.list(WORKSPACE, { limit: 20, q })));
      const found = await service.list(WORKSPACE, { limit: 20, q });
      if (found.items.length === 0)
        throw new Error(`search ${q} found nothing: seeding went wrong`);
    }

    const first = await service.list(WORKSPACE, { limit: 20 });
    if (first.items.length !== 20) throw new Error('first page is not full: seeding went wrong');

    console.log(
      `\nConversations query benchmark on ${db.kind}: ${N_CONV} conversations, ${N_MSG} messages, ${ITER} runs each`,
    );
    console.log(`search-term backfill (migration 0014): ${(backfillMs / 1000).toFixed(1)} s`);
    console.log(`counters built (migration 0023): ${(countersMs / 1000).toFixed(1)} s`);
    console.log(`${'query'.padEnd(44)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(10)}`);
    for (const r of results) {
      console.log(
        `${r.label.padEnd(44)} ${r.median.toFixed(1).padStart(10)} ${r.p95.toFixed(1).padStart(10)}`,
      );
    }
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
