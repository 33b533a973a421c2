import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { DEFAULT_GRAPH_API_VERSION } from '@conecta/graph-client';

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** The validated, typed configuration. Code reads this, never `process.env`. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Public base URL of this server, used for the webhook callback URL shown to users. */
  publicUrl: string;
  /** Unset means: start the embedded database (see {@link embedded}). */
  mongodbUri: string | undefined;
  /** Where the embedded default keeps its data and generated secrets. */
  dataDir: string;
  /** True when no MONGODB_URI was given: the embedded default of `npm start`. */
  embedded: boolean;
  /** The embedded engine (EMBEDDED_DB); undefined: the launcher's default order. */
  embeddedDb: 'ferretdb' | 'mongo-java-server' | undefined;
  /**
   * What this process runs: `api` (HTTP and webhook intake, no inbox workers or scheduled jobs),
   * `worker` (inbox workers and scheduled jobs; HTTP only for health and metrics) or `all`.
   */
  role: 'api' | 'worker' | 'all';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Current AES-256-GCM key (32 bytes) and its id; previous keys are kept to decrypt during rotation. */
  encryption: { current: { id: string; key: Buffer }; previous: { id: string; key: Buffer }[] };
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Bearer token required by /metrics; unset: only loopback callers may scrape. */
  metricsToken: string | undefined;
  /**
   * Which proxies' forwarded headers are believed (Fastify's `trustProxy`): false trusts none,
   * a number trusts that many hops, a list trusts those addresses/CIDRs.
   */
  trustProxy: false | number | string[];
  /** Serve /api/docs and /api/docs-json (default: on except in production). */
  apiDocs: boolean;
  /** Outbound requests to tenant-chosen URLs may reach loopback/private/link-local addresses. */
  egressAllowPrivate: boolean;
  whatsapp: {
    enabled: boolean;
    apiVersion: string;
    baseUrl: string;
    webhookVerifyToken: string | undefined;
    appSecret: string | undefined;
    /** Per-attempt timeout of Graph calls, and the retry policy of the graph client. */
    timeoutMs: number;
    retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; deadlineMs: number };
    /** How often active integrations are re-tested against Meta; 0 disables the health check. */
    healthCheckIntervalMs: number;
    /** Beta rollout: workspace ids allowed to use WhatsApp; null = every workspace. */
    workspaces: string[] | null;
    /** Demo mode: an in-process fake Graph API stands in for Meta (embedded default only). */
    demo: boolean;
  };
  /** Sign-in: session lifetime and failed-login throttling. */
  auth: {
    sessionTtlHours: number;
    /** Failed logins of one account (or from one IP) within the lock window before it locks. */
    maxFailuresPerAccount: number;
    maxFailuresPerIp: number;
    lockMinutes: number;
    /** How long an invitation link can be used. */
    invitationTtlHours: number;
  };
  /** First admin of a non-embedded install (docker compose); never demo credentials there. */
  admin: { email: string | undefined; password: string | undefined; workspaceName: string };
  /** Default chat-completions endpoint of `openai-compatible` chatbots (each chatbot may override). */
  llm: {
    baseUrl: string | undefined;
    apiKey: string | undefined;
    model: string | undefined;
    timeoutMs: number;
    /**
     * Voice-note transcription (`POST {base}/audio/transcriptions`): off unless a model is set.
     * The base URL and key default to the chat model's.
     */
    transcriptionModel: string | undefined;
    transcriptionBaseUrl: string | undefined;
    transcriptionApiKey: string | undefined;
  };
  /** WhatsApp webhook intake and the durable inbox workers (see docs/decisions/0003). */
  webhook: {
    /** Inbound messages of one customer within this window become one bot turn; 0 disables. */
    burstWindowMs: number;
    inboxPollIntervalMs: number;
    /** Inbox workers in this process; 0 makes it an intake-only process. */
    inboxConcurrency: number;
    inboxLeaseMs: number;
    inboxMaxAttempts: number;
    /** First retry delay of a failed inbox event; each further attempt doubles it (max 5 min). */
    inboxRetryBaseMs: number;
    /** Webhook POSTs one IP may make per second (burst twice that); 0 disables the limit. */
    rateLimitPerSecond: number;
    /** Give up the intake write after this long and answer 503 so Meta retries. */
    intakeTimeoutMs: number;
  };
  /** Conversations: message retention and the public web chat's limits. */
  conversations: {
    /** Messages older than this many days are deleted by the retention job; 0 keeps them forever. */
    retentionDays: number;
    retentionBatchSize: number;
    /** Messages one IP may send to the public web chat per minute. */
    publicChatPerMinute: number;
    /** Conversations one IP may start in the public web chat per hour. */
    publicChatNewConversationsPerHour: number;
    /** Processed (done) inbox events are purged by the retention job after this many days. */
    inboxRetentionDays: number;
  };
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function url(env: Env, name: string, fallback: string | undefined): string | undefined {
  const raw = str(env, name) ?? fallback;
  if (raw === undefined) return undefined;
  try {
    const u = new URL(raw);
    if (!['http:', 'https:', 'mongodb:', 'mongodb+srv:'].includes(u.protocol)) throw new Error();
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY: unset/false trusts no proxy; a hop count; or addresses, CIDRs and proxy-addr names. */
function trustProxy(env: Env): false | number | string[] {
  const raw = str(env, 'TRUST_PROXY');
  if (raw === undefined || /^(false|none)$/i.test(raw)) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 20) throw new ConfigError('TRUST_PROXY', 'must be at most 20 hops');
    return hops === 0 ? false : hops;
  }
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (!PROXY_NAMES.has(entry) && (family === 0 || !bitsOk || extra !== undefined)) {
      throw new ConfigError(
        'TRUST_PROXY',
        `must be a hop count or a list of addresses/CIDRs (or loopback, linklocal, uniquelocal), got "${entry}"`,
      );
    }
  }
  return entries;
}

/** Parses a base64 key; it must decode to exactly 32 bytes. */
export function parseKey(name: string, raw: string): Buffer {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new ConfigError(
      name,
      'must be 32 bytes encoded in base64 (try: openssl rand -base64 32)',
    );
  }
  return key;
}

/** Creates the data directory readable by its owner only (0700), tightening one we created before. */
export function ownerOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Reads a generated secret (0600) from the data directory (0700), creating it once. */
function generatedSecret(dataDir: string, file: string, make: () => string): string {
  const path = join(dataDir, file);
  ownerOnlyDir(dataDir);
  if (existsSync(path)) {
    // A secret written by an older version (or copied in) may be readable by others: tighten it.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return readFileSync(path, 'utf8').trim();
  }
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}

export interface LoadConfigResult {
  config: AppConfig;
  /** Human-readable notes about generated defaults, printed once at start-up. */
  notes: string[];
}

/** Validates the environment into an {@link AppConfig}; throws {@link ConfigError}. */
export function loadConfig(env: Env, cwd = process.cwd()): LoadConfigResult {
  const notes: string[] = [];
  const nodeEnv = oneOf(
    env,
    'NODE_ENV',
    ['development', 'production', 'test'] as const,
    'development',
  );
  const mongodbUri = url(env, 'MONGODB_URI', undefined);
  const embedded = mongodbUri === undefined;
  if (embedded && nodeEnv === 'production') {
    throw new ConfigError('MONGODB_URI', 'is required in production (NODE_ENV=production)');
  }
  const dataDir = resolve(cwd, str(env, 'DATA_DIR') ?? '.data');
  const port = int(env, 'PORT', 3000, 0, 65535);
  const host = str(env, 'HOST') ?? (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1');

  let keyRaw = str(env, 'ENCRYPTION_KEY');
  if (keyRaw === undefined) {
    if (!embedded) throw new ConfigError('ENCRYPTION_KEY', 'is required when MONGODB_URI is set');
    keyRaw = generatedSecret(dataDir, 'encryption.key', () => randomBytes(32).toString('base64'));
    notes.push(
      `ENCRYPTION_KEY not set: using the generated key in ${join(dataDir, 'encryption.key')}`,
    );
  }
  const currentKey = parseKey('ENCRYPTION_KEY', keyRaw);
  const previous = (str(env, 'ENCRYPTION_PREVIOUS_KEYS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((raw) => parseKey('ENCRYPTION_PREVIOUS_KEYS', raw));

  let verifyToken = str(env, 'WHATSAPP_WEBHOOK_VERIFY_TOKEN');
  if (verifyToken === undefined && embedded) {
    verifyToken = generatedSecret(dataDir, 'webhook-verify-token', () =>
      randomBytes(18).toString('base64url'),
    );
  }
  let appSecret = str(env, 'WHATSAPP_APP_SECRET');
  if (appSecret === undefined && embedded) {
    appSecret = generatedSecret(dataDir, 'whatsapp-app-secret', () =>
      randomBytes(16).toString('hex'),
    );
  }

  const adminEmail = str(env, 'ADMIN_EMAIL')?.toLowerCase();
  const adminPassword = str(env, 'ADMIN_PASSWORD');
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', 'must be an email address');
  }
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(
      adminEmail === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD',
      'must be set together with the other',
    );
  }
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 12 characters');
  }

  const role = oneOf(env, 'ROLE', ['api', 'worker', 'all'] as const, 'all');
  const inboxConcurrency = int(env, 'INBOX_CONCURRENCY', role === 'api' ? 0 : 4, 0, 256);
  if (role === 'api' && inboxConcurrency !== 0) {
    throw new ConfigError('INBOX_CONCURRENCY', 'must be 0 (or unset) with ROLE=api');
  }
  if (role === 'worker' && inboxConcurrency === 0) {
    throw new ConfigError('INBOX_CONCURRENCY', 'must be at least 1 with ROLE=worker');
  }
  const embeddedDb = str(env, 'EMBEDDED_DB')
    ? oneOf(env, 'EMBEDDED_DB', ['ferretdb', 'mongo-java-server'] as const, 'ferretdb')
    : undefined;

  const config: AppConfig = {
    nodeEnv,
    host,
    port,
    publicUrl: url(env, 'PUBLIC_URL', `http://localhost:${port}`) as string,
    mongodbUri,
    dataDir,
    embedded,
    embeddedDb,
    role,
    logLevel: oneOf(
      env,
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      nodeEnv === 'test' ? 'silent' : 'info',
    ),
    encryption: {
      current: { id: keyId(currentKey), key: currentKey },
      previous: previous.map((key) => ({ id: keyId(key), key })),
    },
    corsOrigins: (str(env, 'CORS_ORIGINS') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 3 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    metricsToken: str(env, 'METRICS_TOKEN'),
    trustProxy: trustProxy(env),
    apiDocs: bool(env, 'API_DOCS', nodeEnv !== 'production'),
    egressAllowPrivate: bool(env, 'EGRESS_ALLOW_PRIVATE', false),
    whatsapp: {
      enabled: bool(env, 'WHATSAPP_ENABLED', true),
      apiVersion: ((): string => {
        const v = str(env, 'WHATSAPP_API_VERSION') ?? DEFAULT_GRAPH_API_VERSION;
        if (!/^v\d+\.\d+$/.test(v)) {
          throw new ConfigError('WHATSAPP_API_VERSION', `must look like v24.0, got "${v}"`);
        }
        return v;
      })(),
      baseUrl: url(env, 'WHATSAPP_BASE_URL', 'https://graph.facebook.com') as string,
      webhookVerifyToken: verifyToken,
      appSecret,
      timeoutMs: int(env, 'WHATSAPP_TIMEOUT_MS', 15_000, 50, 120_000),
      retry: {
        maxAttempts: int(env, 'WHATSAPP_RETRY_MAX_ATTEMPTS', 4, 1, 10),
        baseDelayMs: int(env, 'WHATSAPP_RETRY_BASE_DELAY_MS', 500, 0, 60_000),
        maxDelayMs: int(env, 'WHATSAPP_RETRY_MAX_DELAY_MS', 8000, 0, 300_000),
        deadlineMs: int(env, 'WHATSAPP_RETRY_DEADLINE_MS', 30_000, 100, 600_000),
      },
      healthCheckIntervalMs: int(
        env,
        'INTEGRATION_HEALTHCHECK_INTERVAL_MS',
        15 * 60_000,
        0,
        7 * 24 * 3_600_000,
      ),
      workspaces: ((): string[] | null => {
        const raw = str(env, 'WHATSAPP_BETA_WORKSPACES');
        if (raw === undefined) return null;
        const ids = raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const id of ids) {
          if (!/^[a-f0-9]{24}$/.test(id)) {
            throw new ConfigError(
              'WHATSAPP_BETA_WORKSPACES',
              `must list workspace ids, got "${id}"`,
            );
          }
        }
        return ids;
      })(),
      demo: ((): boolean => {
        const demo = bool(
          env,
          'WHATSAPP_DEMO',
          embedded && str(env, 'WHATSAPP_BASE_URL') === undefined,
        );
        if (demo && nodeEnv === 'production') {
          throw new ConfigError('WHATSAPP_DEMO', 'cannot be enabled in production');
        }
        return demo;
      })(),
    },
    auth: {
      sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
      maxFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
      maxFailuresPerIp: int(env, 'LOGIN_MAX_FAILURES_PER_IP', 20, 1, 100000),
      lockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
      invitationTtlHours: int(env, 'INVITATION_TTL_HOURS', 72, 1, 24 * 30),
    },
    admin: {
      email: adminEmail,
      password: adminPassword,
      workspaceName: str(env, 'ADMIN_WORKSPACE_NAME') ?? 'Conecta',
    },
    llm: {
      baseUrl: url(env, 'LLM_BASE_URL', undefined),
      apiKey: str(env, 'LLM_API_KEY'),
      model: str(env, 'LLM_MODEL'),
      timeoutMs: int(env, 'LLM_TIMEOUT_MS', 20_000, 100, 300_000),
      transcriptionModel: str(env, 'TRANSCRIPTION_MODEL'),
      transcriptionBaseUrl: url(env, 'TRANSCRIPTION_BASE_URL', undefined),
      transcriptionApiKey: str(env, 'TRANSCRIPTION_API_KEY'),
    },
    webhook: {
      burstWindowMs: int(env, 'WEBHOOK_BURST_WINDOW_MS', 1500, 0, 60_000),
      inboxPollIntervalMs: int(env, 'INBOX_POLL_INTERVAL_MS', 250, 5, 60_000),
      inboxConcurrency,
      inboxLeaseMs: int(env, 'INBOX_LEASE_MS', 60_000, 100, 3_600_000),
      inboxMaxAttempts: int(env, 'INBOX_MAX_ATTEMPTS', 8, 1, 100),
      inboxRetryBaseMs: int(env, 'INBOX_RETRY_BASE_MS', 1000, 1, 600_000),
      rateLimitPerSecond: int(env, 'WEBHOOK_RATE_LIMIT_PER_SECOND', 2000, 0, 1_000_000),
      intakeTimeoutMs: int(env, 'WEBHOOK_INTAKE_TIMEOUT_MS', 5000, 100, 60_000),
    },
    conversations: {
      retentionDays: int(env, 'MESSAGE_RETENTION_DAYS', 365, 0, 36_500),
      retentionBatchSize: int(env, 'MESSAGE_RETENTION_BATCH_SIZE', 1000, 10, 100_000),
      publicChatPerMinute: int(env, 'PUBLIC_CHAT_RATE_LIMIT_PER_MINUTE', 20, 1, 10_000),
      publicChatNewConversationsPerHour: int(
        env,
        'PUBLIC_CHAT_NEW_CONVERSATIONS_PER_HOUR',
        30,
        1,
        100_000,
      ),
      inboxRetentionDays: int(env, 'INBOX_RETENTION_DAYS', 7, 1, 3650),
    },
  };
  return { config, notes };
}

/** A short, stable id of a key (not secret: a hash prefix), stored beside each ciphertext. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
