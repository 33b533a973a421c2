// Starts the embedded database once per jest run, in a fresh temporary directory, unless
// MONGODB_URI points at a server already. Workers inherit TEST_MONGODB_URI.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startEmbeddedMongo } = require('@conecta/embedded-mongo');

module.exports = async function globalSetup() {
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conecta-test-db-'));
  const server = await startEmbeddedMongo({
    dataDir,
    log: (line) => process.stderr.write(`\n[embedded-mongo] ${line}`),
  });
  process.env.TEST_MONGODB_URI = server.uri;
  globalThis.__CONECTA_DB__ = { server, dataDir };
};
