// A TCP proxy in front of the database that reads the MongoDB wire protocol (OP_MSG) both ways and
// sums, per command, collection and filter keys, how many requests went through and their round
// trips. For benchmarks only: it tells which queries an operation costs.
import { createRequire } from 'node:module';
import net from 'node:net';

const require = createRequire(new URL('../../apps/api/package.json', import.meta.url));
const { deserialize } = require('bson');

const OP_MSG = 2013;

/** The command of an OP_MSG request: `find whatsapp_inbox {queueKey,state}`, or null. */
function describe(msg) {
  // header (16) + flagBits (4) + section kind (1) + body document
  if (msg.readInt32LE(12) !== OP_MSG || msg[20] !== 0) return null;
  const doc = deserialize(msg.subarray(21), { promoteValues: false });
  const command = Object.keys(doc)[0];
  const collection = typeof doc[command] === 'string' ? doc[command] : '';
  const filter = doc.filter ?? doc.query ?? doc.pipeline?.[0]?.$match;
  const keys = filter && typeof filter === 'object' ? `{${Object.keys(filter).join(',')}}` : '';
  return `${command} ${collection} ${keys}`.trim();
}

/** Splits a byte stream into wire messages. */
function framer(onMessage) {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    while (buffered.length >= 16) {
      const length = buffered.readInt32LE(0);
      if (buffered.length < length) break;
      onMessage(buffered.subarray(0, length));
      buffered = buffered.subarray(length);
    }
  };
}

export async function startWireCounter(target) {
  const stats = new Map();
  const inFlight = new Map();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const onRequest = framer((msg) => {
      try {
        const what = describe(msg);
        if (what) inFlight.set(msg.readInt32LE(4), { what, at: process.hrtime.bigint() });
      } catch {
        // not a document we can read: not counted
      }
    });
    const onReply = framer((msg) => {
      const request = inFlight.get(msg.readInt32LE(8));
      if (!request) return;
      inFlight.delete(msg.readInt32LE(8));
      const s = stats.get(request.what) ?? { count: 0, ms: 0 };
      s.count += 1;
      s.ms += Number(process.hrtime.bigint() - request.at) / 1e6;
      stats.set(request.what, s);
    });
    client.on('data', (chunk) => {
      upstream.write(chunk);
      onRequest(chunk);
    });
    upstream.on('data', (chunk) => {
      client.write(chunk);
      onReply(chunk);
    });
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ]) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    reset: () => stats.clear(),
    /** Rows sorted by total time: [command, count, total ms]. */
    rows: () => [...stats].map(([what, s]) => [what, s.count, s.ms]).sort((a, b) => b[2] - a[2]),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
