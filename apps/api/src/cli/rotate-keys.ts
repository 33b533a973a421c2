import mongoose from 'mongoose';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/app-config';
import { SecretBox } from '../crypto/secret-box';
import { resealSecrets } from './reseal';

/**
 * `npm run keys:rotate`: re-encrypts every stored secret (WhatsApp tokens, app secrets, verify
 * tokens, chatbot LLM keys) under ENCRYPTION_KEY. Run it with the old key(s) in
 * ENCRYPTION_PREVIOUS_KEYS; once it reports done, the previous keys can be removed.
 */
async function main(): Promise<void> {
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
    const box = new SecretBox(config);
    console.log(`re-encrypting under key ${box.currentKeyId}`);
    for (const r of await resealSecrets(conn.db, box)) {
      console.log(
        `${r.collection}: ${r.scanned} scanned, ${r.updated} updated (${r.secrets} secrets)`,
      );
    }
    console.log('done: previous keys can be removed from ENCRYPTION_PREVIOUS_KEYS');
  } finally {
    await conn.close();
    await stop?.();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
});
