// The embedded database as Conecta builds it (FerretDB with the filter pushdown of
// tools/embedded-mongo/_ferretdb) against FerretDB as published, side by side: the same data, the
// migrations' indexes, and the queries the webhook pipeline and the dashboard run most. Times are
// medians of several runs per query, in ms. Needs a build (npm run build) and Go.
//
//   node bench/ferretdb-pushdown.mjs [--conversations 2000] [--messages 20000] [--runs 15]
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, median, requireBuilt, table } from './support/stack.mjs';

const require = createRequire(join(ROOT, 'apps/api/package.json'));
const { MongoClient, ObjectId } = require('mongodb');
const { m0007Conversations } = require('./dist/database/migrations/0007-conversations.js');

const { values: opts } = parseArgs({
  options: {
    conversations: { type: 'string', default: '2000' },
    messages: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '15' },
  },
});
const CONVERSATIONS = Number(opts.conversations);
const MESSAGES = Number(opts.messages);
const RUNS = Number(opts.runs);

const workspaceId = new ObjectId();
const chatbotId = new ObjectId();
const conversationIds = Array.from({ length: CONVERSATIONS }, () => new ObjectId());
const messageIds = Array.from({ length: MESSAGES }, () => new ObjectId());
const t0 = Date.now() - MESSAGES * 1000;

async function seed(db) {
  await m0007Conversations.up(db);
  const conversations = conversationIds.map((_id, i) => ({
    _id,
    workspaceId,
    chatbotId,
    channel: i % 2 ? 'whatsapp' : 'web',
    sessionId: `106540352242922:5215${String(i).padStart(8, '0')}`,
    visitorId: `5215${String(i).padStart(8, '0')}`,
    status: 'open',
    messageCount: 0,
    lastMessageAt: new Date(t0 + i * 1000),
    lastMessagePreview: 'Hola',
  }));
  for (let i = 0; i < conversations.length; i += 1000) {
    await db.collection('conversations').insertMany(conversations.slice(i, i + 1000));
  }
  for (let i = 0; i < MESSAGES; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(MESSAGES, i + 1000); j++) {
      batch.push({
        _id: messageIds[j],
        workspaceId,
        conversationId: conversationIds[j % CONVERSATIONS],
        role: j % 2 ? 'assistant' : 'user',
        channel: 'whatsapp',
        content: `Mensaje número ${j}: ¿tienen envío a domicilio?`,
        externalMessageId: `wamid.bench.${j}`,
        deliveryStatus: 'read',
        createdAt: new Date(t0 + j * 1000),
      });
    }
    await db.collection('messages').insertMany(batch);
  }
}

/** The queries, each as the app issues it (filters and sorts from the repositories). */
function queries(db) {
  const conversations = db.collection('conversations');
  const messages = db.collection('messages');
  let n = 0;
  const someMessage = () => messageIds[(n++ * 7919) % MESSAGES];
  const someConversation = () => conversationIds[(n++ * 7919) % CONVERSATIONS];
  return [
    [
      'message by id (workspace-scoped)',
      () => messages.findOne({ _id: someMessage(), workspaceId }),
    ],
    [
      'message update by id',
      () =>
        messages.updateOne(
          { _id: someMessage(), workspaceId },
          { $set: { deliveryStatus: 'read' } },
        ),
    ],
    [
      'message by wamid (delivery status)',
      () => messages.findOne({ externalMessageId: `wamid.bench.${(n++ * 7919) % MESSAGES}` }),
    ],
    [
      'last 20 messages of a conversation',
      () =>
        messages
          .find({ workspaceId, conversationId: someConversation() })
          .sort({ createdAt: -1, _id: -1 })
          .limit(20)
          .toArray(),
    ],
    [
      'conversation of a WhatsApp contact (upsert)',
      () => {
        const i = (n++ * 7919) % CONVERSATIONS;
        return conversations.findOneAndUpdate(
          {
            workspaceId,
            chatbotId,
            channel: i % 2 ? 'whatsapp' : 'web',
            sessionId: `106540352242922:5215${String(i).padStart(8, '0')}`,
          },
          { $setOnInsert: { status: 'open' } },
          { upsert: true, returnDocument: 'after' },
        );
      },
    ],
    [
      'conversation list, first page (sorted)',
      () =>
        conversations
          .find({ workspaceId })
          .sort({ lastMessageAt: -1, _id: -1 })
          .limit(20)
          .toArray(),
    ],
  ];
}

async function measure(label, variant) {
  const { embedded } = requireBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), `conecta-pushdown-${variant}-`));
  const server = await embedded.startEmbeddedMongo({ dataDir, ferretdb: variant, log: () => {} });
  const client = await MongoClient.connect(server.uri);
  try {
    const db = client.db('bench_pushdown');
    const seeded = Date.now();
    await seed(db);
    const seedSeconds = (Date.now() - seeded) / 1000;
    const results = new Map();
    for (const [name, run] of queries(db)) {
      await run(); // warm-up
      const times = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await run();
        times.push(performance.now() - start);
      }
      results.set(name, median(times));
    }
    console.log(`${label}: seeded in ${seedSeconds.toFixed(1)} s`);
    return results;
  } finally {
    await client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `# Embedded database: FerretDB as published vs with Conecta's pushdown — ${new Date().toISOString()}`,
);
console.log(`${CONVERSATIONS} conversations, ${MESSAGES} messages, median of ${RUNS} runs\n`);
const upstream = await measure('FerretDB 1.24.2 as published', 'upstream');
const patched = await measure('FerretDB 1.24.2 with the pushdown', 'patched');
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
console.log(
  '\n' +
    table(
      ['query', 'published ms', 'with pushdown ms', 'speed-up'],
      [...upstream.keys()].map((name) => [
        name,
        fmt(upstream.get(name)),
        fmt(patched.get(name)),
        `${(upstream.get(name) / patched.get(name)).toFixed(0)}×`,
      ]),
    ),
);
process.exit(0);
