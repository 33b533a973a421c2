import { MongoClient } from 'mongodb';
const c = new MongoClient(process.argv[2]);
await c.connect();
const db = c.db('conecta');
const docs = await db
  .collection('whatsapp_inbox')
  .find({}, { projection: { event: 0 } })
  .toArray();
const by = {};
for (const d of docs) by[d.state] = (by[d.state] ?? 0) + 1;
console.log(
  by,
  docs
    .filter((d) => d.state !== 'done')
    .map((d) => ({
      s: d.state,
      a: d.attempts,
      e: d.lastError,
      run: d.runAt,
      lease: d.leaseUntil,
      p: d.progress,
    }))
    .slice(0, 5),
);
console.log('messages', await db.collection('messages').countDocuments({}));
await c.close();
