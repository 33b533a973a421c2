// The baseline for the intake benchmark: a bare node:http server doing what Conecta's webhook
// intake does — raw body, HMAC check in constant time, JSON parse, one insertMany of the events
// into an inbox collection with the same indexes (the inbox migration) with the plain MongoDB
// driver — and nothing else. The documents have every field Conecta's inbox documents have, so both
// sides pay the same database write and index maintenance.
// Usage: MONGODB_URI=… APP_SECRET=… PORT=… [WORKSPACE_ID=… INTEGRATION_ID=…] node bench/bare-intake-server.mjs
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../apps/api/package.json', import.meta.url));
const { MongoClient } = require('mongodb');

const { m0006WhatsappInbox } = require('./dist/database/migrations/0006-whatsapp-inbox.js');

const {
  MONGODB_URI,
  APP_SECRET,
  PORT = '3999',
  DB_NAME = 'bench_bare',
  WORKSPACE_ID = null,
  INTEGRATION_ID = null,
} = process.env;
const client = await new MongoClient(MONGODB_URI).connect();
const db = client.db(DB_NAME);
// The same collection and indexes as Conecta's inbox (its own migration), in its own database.
await m0006WhatsappInbox.up(db);
const inbox = db.collection('whatsapp_inbox');

function signatureOk(raw, header) {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice(7), 'hex');
  const expected = createHmac('sha256', APP_SECRET).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const raw = Buffer.concat(chunks);
    if (!signatureOk(raw, req.headers['x-hub-signature-256'])) {
      res.writeHead(401).end();
      return;
    }
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const now = new Date();
    const docs = [];
    for (const entry of body.entry ?? []) {
      for (const change of entry.changes ?? []) {
        const value = change.value ?? {};
        for (const m of value.messages ?? []) {
          docs.push({
            phoneNumberId: value.metadata?.phone_number_id,
            workspaceId: WORKSPACE_ID,
            integrationId: INTEGRATION_ID,
            event: m,
            correlationId: randomUUID(),
            receivedAt: now,
            runAt: now,
            attempts: 0,
            claimSeq: 0,
            leaseUntil: null,
            workerId: null,
            progress: {},
            key: `m:${m.id}`,
            kind: 'message',
            state: 'pending',
            queueKey: `${value.metadata?.phone_number_id}:${m.from}`,
            externalId: m.id,
            status: null,
            lastError: null,
            processedAt: null,
          });
        }
      }
    }
    try {
      if (docs.length) await inbox.insertMany(docs, { ordered: false });
    } catch (err) {
      if (err?.code !== 11000 && !err?.writeErrors) {
        res.writeHead(503).end();
        return;
      }
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('EVENT_RECEIVED');
  });
});
server.listen(Number(PORT), '127.0.0.1', () => process.stdout.write(`READY ${PORT}\n`));
for (const s of ['SIGTERM', 'SIGINT']) {
  process.on(s, () => server.close(() => client.close().then(() => process.exit(0))));
}
