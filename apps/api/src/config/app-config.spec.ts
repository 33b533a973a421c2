import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['API_DOCS', 'sometimes'],
    ['EGRESS_ALLOW_PRIVATE', 'maybe'],
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

  it('ROLE=api runs no inbox workers, ROLE=worker needs some; all is the default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-cfg-'));
    const all = loadConfig(withDb, dir).config;
    expect(all.role).toBe('all');
    expect(all.webhook.inboxConcurrency).toBe(4);
    const api = loadConfig({ ...withDb, ROLE: 'api' }, dir).config;
    expect(api.role).toBe('api');
    expect(api.webhook.inboxConcurrency).toBe(0);
    expect(loadConfig({ ...withDb, ROLE: 'worker' }, dir).config.webhook.inboxConcurrency).toBe(4);
    expect(errorOf({ ...withDb, ROLE: 'api', INBOX_CONCURRENCY: '2' }).variable).toBe(
      'INBOX_CONCURRENCY',
    );
    expect(errorOf({ ...withDb, ROLE: 'worker', INBOX_CONCURRENCY: '0' }).variable).toBe(
      'INBOX_CONCURRENCY',
    );
    expect(errorOf({ ...withDb, ROLE: 'web' }).variable).toBe('ROLE');
  });

  it('EMBEDDED_DB names one of the embedded engines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-cfg-'));
    expect(loadConfig(withDb, dir).config.embeddedDb).toBeUndefined();
    expect(loadConfig({ ...withDb, EMBEDDED_DB: 'mongo-java-server' }, dir).config.embeddedDb).toBe(
      'mongo-java-server',
    );
    expect(errorOf({ ...withDb, EMBEDDED_DB: 'mongod' }).variable).toBe('EMBEDDED_DB');
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

  it('trusts no proxy by default, also in production; TRUST_PROXY takes hops or CIDRs', () => {
    const prod = { ...withDb, NODE_ENV: 'production' };
    expect(loadConfig(prod).config.trustProxy).toBe(false);
    expect(loadConfig({ ...prod, TRUST_PROXY: '2' }).config.trustProxy).toBe(2);
    expect(
      loadConfig({ ...prod, TRUST_PROXY: '10.0.0.0/8, ::1, loopback' }).config.trustProxy,
    ).toEqual(['10.0.0.0/8', '::1', 'loopback']);
  });

  it('serves the API docs by default except in production, where API_DOCS=true turns them on', () => {
    expect(loadConfig(withDb).config.apiDocs).toBe(true);
    expect(loadConfig({ ...withDb, NODE_ENV: 'production' }).config.apiDocs).toBe(false);
    expect(loadConfig({ ...withDb, NODE_ENV: 'production', API_DOCS: 'true' }).config.apiDocs).toBe(
      true,
    );
  });

  it('creates the data directory 0700 and generated secrets 0600, tightening looser ones', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'conecta-cfg-'));
    loadConfig({}, cwd);
    const dir = join(cwd, '.data');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of ['encryption.key', 'webhook-verify-token', 'whatsapp-app-secret']) {
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    }

    const old = mkdtempSync(join(tmpdir(), 'conecta-cfg-'));
    mkdirSync(join(old, '.data'), { mode: 0o755 });
    chmodSync(join(old, '.data'), 0o755);
    writeFileSync(join(old, '.data', 'encryption.key'), `${KEY}\n`, { mode: 0o644 });
    chmodSync(join(old, '.data', 'encryption.key'), 0o644);
    loadConfig({}, old);
    expect(statSync(join(old, '.data')).mode & 0o777).toBe(0o700);
    expect(statSync(join(old, '.data', 'encryption.key')).mode & 0o777).toBe(0o600);
  });
});
