import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

const KEY = Buffer.alloc(32, 1).toString('base64');
const withDb = { MONGODB_URI: 'mongodb://db:27017', ENCRYPTION_KEY: KEY };

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, mkdtempSync(join(tmpdir(), 'conecta-cfg-')));
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('refuses an ENCRYPTION_KEY that is not 32 bytes of base64, in one line naming it', () => {
    const err = errorOf({ ...withDb, ENCRYPTION_KEY: 'c2hvcnQ=' });
    expect(err.variable).toBe('ENCRYPTION_KEY');
    expect(err.message).toBe(
      'Invalid configuration: ENCRYPTION_KEY must be 32 bytes encoded in base64 (try: openssl rand -base64 32)',
    );
    expect(err.message).not.toContain('\n');
  });

  it('requires ENCRYPTION_KEY when a real database is configured', () => {
    expect(errorOf({ MONGODB_URI: 'mongodb://db:27017' }).variable).toBe('ENCRYPTION_KEY');
  });

  it('requires MONGODB_URI in production', () => {
    expect(errorOf({ NODE_ENV: 'production', ENCRYPTION_KEY: KEY }).variable).toBe('MONGODB_URI');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['WHATSAPP_ENABLED', 'maybe'],
    ['WHATSAPP_API_VERSION', '24'],
    ['WHATSAPP_BASE_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses an invalid %s (%s)', (name, value) => {
    expect(errorOf({ ...withDb, [name]: value }).variable).toBe(name);
  });

  it('in the embedded default generates an encryption key once and keeps it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'conecta-cfg-'));
    const first = loadConfig({}, cwd);
    const second = loadConfig({}, cwd);
    expect(first.config.embedded).toBe(true);
    expect(first.notes.join(' ')).toContain('ENCRYPTION_KEY not set');
    expect(first.config.encryption.current.key.equals(second.config.encryption.current.key)).toBe(
      true,
    );
    expect(readFileSync(join(cwd, '.data', 'encryption.key'), 'utf8').trim()).toHaveLength(44);
    expect(first.config.whatsapp.webhookVerifyToken).toBe(
      second.config.whatsapp.webhookVerifyToken,
    );
  });

  it('reads typed values with safe defaults', () => {
    const { config } = loadConfig({ ...withDb, PORT: '8080', WHATSAPP_ENABLED: 'false' });
    expect(config.port).toBe(8080);
    expect(config.whatsapp).toMatchObject({
      enabled: false,
      apiVersion: 'v26.0',
      baseUrl: 'https://graph.facebook.com',
    });
    expect(config.embedded).toBe(false);
  });
});
