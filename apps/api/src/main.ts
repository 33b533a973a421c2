import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FirstRunService } from './accounts/first-run.service';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';

/** Starts the API; with no MONGODB_URI, first starts the embedded database under DATA_DIR. */
async function main(): Promise<void> {
  const { config, notes } = loadConfig(process.env);
  const say = (line: string): void => {
    process.stdout.write(`[conecta] ${line}\n`);
  };
  notes.forEach(say);

  let mongoUri = config.mongodbUri;
  let stopDb: (() => Promise<void>) | undefined;
  if (!mongoUri) {
    // Loaded only in the embedded default: production images set MONGODB_URI.
    const { startEmbeddedMongo } = await import('@conecta/embedded-mongo');
    const server = await startEmbeddedMongo({
      dataDir: join(config.dataDir, 'db'),
      log: say,
      ...(config.embeddedDb ? { engine: config.embeddedDb } : {}),
    });
    mongoUri = server.uri;
    stopDb = () => server.stop();
  }

  const spaRoot = resolve(__dirname, '..', '..', 'web', 'dist');
  const app = await createApp({
    config,
    mongoUri,
    spaRoot: config.role !== 'worker' && existsSync(join(spaRoot, 'index.html')) ? spaRoot : null,
  });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: stopping`);
    void app
      .close()
      .then(() => stopDb?.())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const shown =
    config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  say(`Conecta is running at http://${shown}:${config.port} (API under /api, docs at /api/docs)`);
  // Last on screen: the sign-in (first start) or where it is kept (later starts); the log
  // writes synchronously (logging.module), so every start-up line is out before it.
  const notice = app.get(FirstRunService, { strict: false }).startupNotice();
  if (notice) say(notice);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(
      `Conecta failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
  process.exit(1);
});
