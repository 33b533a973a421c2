import { SecretBox } from '../crypto/secret-box';
import { runWithDatabase } from './cli-database';
import { resealSecrets } from './reseal';

/**
 * `npm run keys:rotate`: re-encrypts every stored secret (WhatsApp tokens, app secrets, verify
 * tokens, chatbot LLM keys) under ENCRYPTION_KEY. Run it with the old key(s) in
 * ENCRYPTION_PREVIOUS_KEYS; once it reports done, the previous keys can be removed.
 */
runWithDatabase(async (db, config) => {
  const box = new SecretBox(config);
  console.log(`re-encrypting under key ${box.currentKeyId}`);
  for (const r of await resealSecrets(db, box)) {
    console.log(
      `${r.collection}: ${r.scanned} scanned, ${r.updated} updated (${r.secrets} secrets)`,
    );
  }
  console.log('done: previous keys can be removed from ENCRYPTION_PREVIOUS_KEYS');
});
