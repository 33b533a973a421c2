const fs = require('node:fs');

module.exports = async function globalTeardown() {
  const db = globalThis.__CONECTA_DB__;
  if (!db) return;
  await db.server.stop();
  fs.rmSync(db.dataDir, { recursive: true, force: true });
};
