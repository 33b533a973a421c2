import mongoose from 'mongoose';
import { join } from 'node:path';
import type { Db } from 'mongodb';
import { ConfigError, type AppConfig, loadConfig } from '../config/app-config';

/**
 * Runs a command-line task against the configured database: MONGODB_URI, or the embedded server
 * under DATA_DIR (started for the task and stopped after it). Prints a configuration error or a
 * failure in one line and exits 1.
 */
export function runWithDatabase(task: (db: Db, config: AppConfig) => Promise<void>): void {
  void (async () => {
    const { config } = loadConfig(process.env);
    let uri = config.mongodbUri;
    let stop: (() => Promise<void>) | undefined;
    if (!uri) {
      const { startEmbeddedMongo } = await import('@conecta/embedded-mongo');
      const server = await startEmbeddedMongo({
        dataDir: join(config.dataDir, 'db'),
        ...(config.embeddedDb ? { engine: config.embeddedDb } : {}),
      });
      uri = server.uri;
      stop = () => server.stop();
    }
    const conn = await mongoose.createConnection(uri, { dbName: 'conecta' }).asPromise();
    try {
      if (!conn.db) throw new Error('no database handle');
      await task(conn.db, config);
    } finally {
      await conn.close();
      await stop?.();
    }
  })().catch((err: unknown) => {
    console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
