// The embedded database's files hold customers' numbers and messages: only their owner may read
// them (directory 0700, files 0600), also when the directory existed with looser permissions.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { expect, it } = require('@jest/globals');
const { MongoClient } = require('mongodb');
const { startEmbeddedMongo } = require('./index');

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? [full, ...walk(full)] : [full];
  });
}

it('creates the data directory 0700 and every database file owner-only', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'conecta-perm-'));
  const dataDir = path.join(root, 'db');
  fs.mkdirSync(dataDir, { mode: 0o755 });
  fs.chmodSync(dataDir, 0o755);
  const server = await startEmbeddedMongo({ dataDir, log: () => undefined });
  try {
    const client = await MongoClient.connect(server.uri);
    try {
      await client.db('perm_check').collection('messages').insertOne({ content: 'hola' });
    } finally {
      await client.close();
    }
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    const files = walk(dataDir);
    expect(files.length).toBeGreaterThan(0);
    const loose = files.filter((f) => (fs.statSync(f).mode & 0o077) !== 0);
    expect(loose).toEqual([]);
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}, 120_000);
