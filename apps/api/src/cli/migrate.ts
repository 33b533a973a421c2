import mongoose from 'mongoose';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config';
import { Migrator } from '../database/migrator';

/** `npm run migrate [up|down|status]` against MONGODB_URI, or the embedded database under DATA_DIR. */
async function main(): Promise<void> {
  const command = process.argv[2] ?? 'up';
  if (!['up', 'down', 'status'].includes(command)) {
    throw new Error(`unknown command "${command}": use up, down or status`);
  }
  const { config } = loadConfig(process.env);
  let uri = config.mongodbUri;
  let stop: (() => Promise<void>) | undefined;
  if (!uri) {
    const { startEmbeddedMongo } = await import('@conecta/embedded-mongo');
    const server = await startEmbeddedMongo({ dataDir: join(config.dataDir, 'db') });
    uri = server.uri;
    stop = () => server.stop();
  }
  const conn = await mongoose.createConnection(uri, { dbName: 'conecta' }).asPromise();
  try {
    if (!conn.db) throw new Error('no database handle');
    const migrator = new Migrator(conn.db);
    if (command === 'up') {
      const applied = await migrator.up();
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
    } else if (command === 'down') {
      const id = await migrator.down();
      console.log(id ? `rolled back: ${id}` : 'nothing to roll back');
    }
    for (const m of await migrator.status()) {
      console.log(`${m.appliedAt ? 'applied' : 'pending'}  ${m.id}  ${m.description}`);
    }
  } finally {
    await conn.close();
    await stop?.();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
});
