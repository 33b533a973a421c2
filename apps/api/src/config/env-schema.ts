// The environment variables of the API: one list that `npm run env:docs` turns into the README's
// configuration table and `.env.example`. `loadConfig` (app-config.ts) must read exactly these
// variables, and a documented default must be the default it applies (env-schema.spec.ts).

/** One environment variable as the docs show it. */
export interface EnvVariable {
  name: string;
  /** The value `loadConfig` uses when the variable is unset; absent: none, or generated. */
  default?: string;
  /** Absent: the same meaning as the variable before it (shown as 〃). */
  description?: string;
}

export interface EnvGroup {
  title: string;
  variables: EnvVariable[];
}

export const ENV_SCHEMA: EnvGroup[] = [
  {
    title: 'Server',
    variables: [
      { name: 'NODE_ENV', default: 'development', description: 'development | production | test' },
      { name: 'PORT', default: '3000', description: 'HTTP port of the API and dashboard' },
      {
        name: 'HOST',
        default: '127.0.0.1',
        description:
          'Interface to listen on (127.0.0.1 by default in development, 0.0.0.0 in production)',
      },
      {
        name: 'PUBLIC_URL',
        default: 'http://localhost:3000',
        description:
          'Public base URL of this server, used to build the webhook callback URL shown to users',
      },
      {
        name: 'LOG_LEVEL',
        default: 'info',
        description: 'fatal | error | warn | info | debug | trace | silent',
      },
      {
        name: 'CORS_ORIGINS',
        description: 'Comma-separated origins allowed by CORS (empty: CORS closed)',
      },
      {
        name: 'METRICS_TOKEN',
        description:
          'Bearer token that /metrics requires (unset: only loopback callers may scrape)',
      },
      {
        name: 'BODY_LIMIT_BYTES',
        default: '3145728',
        description: 'Largest request body accepted, in bytes (Meta batches webhooks up to 3 MB)',
      },
      {
        name: 'TRUST_PROXY',
        description:
          'Proxies whose X-Forwarded-* headers are believed: a hop count (`1`) or comma-separated addresses/CIDRs (`10.0.0.0/8,loopback`); unset: none (see docs/security.md)',
      },
      {
        name: 'API_DOCS',
        default: 'true',
        description:
          'Serve the OpenAPI docs at /api/docs and /api/docs-json (default false in production)',
      },
      {
        name: 'EGRESS_ALLOW_PRIVATE',
        default: 'false',
        description:
          "Let chatbots' own LLM URLs reach loopback, private and link-local addresses (self-hosted LLMs on the internal network)",
      },
      {
        name: 'ROLE',
        default: 'all',
        description:
          'What this process runs: `api` (HTTP and webhook intake; no inbox workers, media downloads or scheduled jobs), `worker` (inbox workers, media downloads, retention and health jobs, each job once across processes; over HTTP only /api/health and /metrics) or `all` (docs/deploy.md)',
      },
    ],
  },
  {
    title: 'Database',
    variables: [
      {
        name: 'MONGODB_URI',
        description:
          'MongoDB connection string; unset: start the embedded server (mongod on PATH, else FerretDB) under DATA_DIR',
      },
      {
        name: 'DATA_DIR',
        default: '.data',
        description: 'Where the embedded default keeps its database and generated secrets',
      },
      {
        name: 'EMBEDDED_DB',
        description:
          "The embedded engine when MONGODB_URI is unset: `ferretdb`, or `mongo-java-server` (atomic updates like MongoDB's; needs Java 17+ and Maven; CI's second engine). Unset: mongod on PATH, else FerretDB",
      },
    ],
  },
  {
    title: 'Secrets',
    variables: [
      {
        name: 'ENCRYPTION_KEY',
        description:
          '32 bytes, base64 (openssl rand -base64 32); AES-256-GCM key for tokens and secrets at rest. Generated under DATA_DIR when unset in the embedded default',
      },
      {
        name: 'ENCRYPTION_PREVIOUS_KEYS',
        description:
          'Comma-separated previous keys, still accepted for decryption during rotation (npm run keys:rotate)',
      },
    ],
  },
  {
    title: 'WhatsApp Cloud API',
    variables: [
      {
        name: 'WHATSAPP_ENABLED',
        default: 'true',
        description:
          'Off switch for the whole WhatsApp feature (integration endpoints answer 503, the webhook 404)',
      },
      {
        name: 'WHATSAPP_API_VERSION',
        default: 'v26.0',
        description:
          'Graph API version used for every call (the newest the client and the fake Graph API are tested against: v24.0–v26.0)',
      },
      {
        name: 'WHATSAPP_BASE_URL',
        default: 'https://graph.facebook.com',
        description: 'Graph API base URL (tests and the demo point it at the fake Graph API)',
      },
      {
        name: 'WHATSAPP_WEBHOOK_VERIFY_TOKEN',
        description:
          "Server-wide verify token for Meta's webhook verification (generated under DATA_DIR when unset in the embedded default)",
      },
      {
        name: 'WHATSAPP_APP_SECRET',
        description:
          'Server-wide Meta app secret that signs webhooks, used when an integration has none of its own',
      },
    ],
  },
  {
    title: 'Accounts and sign-in',
    variables: [
      {
        name: 'ADMIN_EMAIL',
        description:
          'First admin of a non-embedded install (both or neither; the password needs 12+ characters). Ignored once a user exists',
      },
      { name: 'ADMIN_PASSWORD' },
      {
        name: 'ADMIN_WORKSPACE_NAME',
        default: 'Conecta',
        description: 'Name of the workspace created for ADMIN_EMAIL',
      },
      {
        name: 'SESSION_TTL_HOURS',
        default: '12',
        description: 'Lifetime of a dashboard session, in hours',
      },
      {
        name: 'INVITATION_TTL_HOURS',
        default: '72',
        description: 'How long a team invitation link can be used, in hours (1–720)',
      },
      {
        name: 'LOGIN_MAX_FAILURES',
        default: '5',
        description: 'Failed logins of one account within the lock window before it is locked',
      },
      {
        name: 'LOGIN_MAX_FAILURES_PER_IP',
        default: '20',
        description: 'Failed logins from one IP within the lock window before it is locked',
      },
      {
        name: 'LOGIN_LOCK_MINUTES',
        default: '15',
        description: 'How long a locked account or IP must wait, in minutes',
      },
    ],
  },
  {
    title: 'Chatbot responder (openai-compatible)',
    variables: [
      {
        name: 'LLM_BASE_URL',
        description:
          "Default chat-completions endpoint (e.g. https://api.openai.com/v1); a chatbot's own settings take precedence",
      },
      {
        name: 'LLM_API_KEY',
        description: "API key for LLM_BASE_URL (a chatbot's own key is stored encrypted instead)",
      },
      { name: 'LLM_MODEL', description: 'Default model name' },
      {
        name: 'LLM_TIMEOUT_MS',
        default: '20000',
        description:
          'Give up on the endpoint after this many milliseconds and answer with the fallback message',
      },
      {
        name: 'TRANSCRIPTION_MODEL',
        description:
          'Model of the OpenAI-compatible /audio/transcriptions endpoint (e.g. whisper-1) that turns voice notes into text for the bot; unset: voice notes are not transcribed',
      },
      {
        name: 'TRANSCRIPTION_BASE_URL',
        description: 'Transcription endpoint base URL; unset: LLM_BASE_URL',
      },
      {
        name: 'TRANSCRIPTION_API_KEY',
        description:
          'API key for TRANSCRIPTION_BASE_URL; unset: LLM_API_KEY when the base URL is LLM_BASE_URL',
      },
    ],
  },
  {
    title: 'Conversations',
    variables: [
      {
        name: 'MESSAGE_RETENTION_DAYS',
        default: '365',
        description:
          'Messages older than this many days are deleted (then empty conversations) by an hourly job; 0 keeps them forever',
      },
      {
        name: 'MESSAGE_RETENTION_BATCH_SIZE',
        default: '1000',
        description: 'How many messages or conversations the retention job deletes per query',
      },
      {
        name: 'PUBLIC_CHAT_RATE_LIMIT_PER_MINUTE',
        default: '20',
        description: "Messages one IP may send per minute to a chatbot's public web chat",
      },
      {
        name: 'PUBLIC_CHAT_NEW_CONVERSATIONS_PER_HOUR',
        default: '30',
        description: 'Conversations one IP may start per hour in the public web chat',
      },
      {
        name: 'INBOX_RETENTION_DAYS',
        default: '7',
        description:
          'Processed WhatsApp inbox events (raw webhook payloads) are purged by the retention job after this many days',
      },
    ],
  },
  {
    title: 'WhatsApp webhook and inbox',
    variables: [
      {
        name: 'WEBHOOK_BURST_WINDOW_MS',
        default: '1500',
        description:
          'Inbound messages of one customer within this many ms become one bot turn; 0 answers each message',
      },
      {
        name: 'INBOX_POLL_INTERVAL_MS',
        default: '250',
        description: 'How often an idle inbox worker looks for new events, in ms',
      },
      {
        name: 'INBOX_CONCURRENCY',
        default: '4',
        description:
          'Inbox workers in this process (0: this process only takes webhooks in; 0, the only value, with ROLE=api)',
      },
      {
        name: 'INBOX_LEASE_MS',
        default: '60000',
        description:
          "How long a worker's claim on an event lasts before another worker may take it over, in ms",
      },
      {
        name: 'INBOX_MAX_ATTEMPTS',
        default: '8',
        description:
          'Attempts before an inbox event is marked dead (retries back off exponentially)',
      },
      {
        name: 'INBOX_RETRY_BASE_MS',
        default: '1000',
        description:
          'First retry delay of a failed inbox event in ms; doubles with each attempt, at most 5 minutes',
      },
      {
        name: 'WEBHOOK_RATE_LIMIT_PER_SECOND',
        default: '2000',
        description:
          'Webhook POSTs one IP may make per second (bursts up to twice that); 0 disables the limit',
      },
      {
        name: 'WEBHOOK_INTAKE_TIMEOUT_MS',
        default: '5000',
        description: 'Answer 503 (Meta retries) when the inbox write takes longer than this, in ms',
      },
    ],
  },
  {
    title: 'WhatsApp integrations',
    variables: [
      {
        name: 'WHATSAPP_TIMEOUT_MS',
        default: '15000',
        description: 'Per-attempt timeout of each Graph API call, in ms',
      },
      {
        name: 'WHATSAPP_RETRY_MAX_ATTEMPTS',
        default: '4',
        description:
          'Attempts of a retryable Graph call (network, 5xx, rate limit), the first one included',
      },
      {
        name: 'WHATSAPP_RETRY_BASE_DELAY_MS',
        default: '500',
        description:
          'First retry delay in ms (doubles each retry, with jitter), the largest single delay, and the overall budget',
      },
      { name: 'WHATSAPP_RETRY_MAX_DELAY_MS', default: '8000' },
      { name: 'WHATSAPP_RETRY_DEADLINE_MS', default: '30000' },
      {
        name: 'INTEGRATION_HEALTHCHECK_INTERVAL_MS',
        default: '900000',
        description:
          'How often active integrations are re-tested against Meta, in ms (0 disables; backs off when Meta rate-limits)',
      },
      {
        name: 'WHATSAPP_BETA_WORKSPACES',
        description:
          'Beta rollout: comma-separated workspace ids that may use WhatsApp (unset: every workspace)',
      },
      {
        name: 'WHATSAPP_DEMO',
        description:
          'Demo mode (in-process fake Graph API with demo credentials); default on only for the embedded default without WHATSAPP_BASE_URL',
      },
    ],
  },
];

const ENV_EXAMPLE_HEADER = [
  '# Conecta configuration. Every variable is optional for `npm start` (the embedded default);',
  '# production (docker compose) must set MONGODB_URI and ENCRYPTION_KEY.',
];

/** Every variable name, in schema order. */
export function envVariableNames(schema: EnvGroup[] = ENV_SCHEMA): string[] {
  return schema.flatMap((group) => group.variables.map((v) => v.name));
}

/** The README's configuration table (Markdown). */
export function renderEnvTable(schema: EnvGroup[] = ENV_SCHEMA): string {
  const lines = ['| variable | default | meaning |', '|---|---|---|'];
  for (const group of schema) {
    lines.push(`| **${group.title}** | | |`);
    for (const v of group.variables) {
      const value = v.default !== undefined ? `\`${v.default}\`` : '—';
      const meaning = v.description !== undefined ? v.description.replace(/\|/g, '\\|') : '〃';
      lines.push(`| \`${v.name}\` | ${value} | ${meaning} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The whole of `.env.example`. */
export function renderEnvExample(schema: EnvGroup[] = ENV_SCHEMA): string {
  const lines = [...ENV_EXAMPLE_HEADER];
  for (const group of schema) {
    lines.push('', `# --- ${group.title} ---`);
    for (const v of group.variables) {
      if (v.description !== undefined) lines.push(`# ${v.description}`);
      lines.push(`${v.name}=${v.default ?? ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const README_TABLE_START =
  '<!-- env:docs start: generated from apps/api/src/config/env-schema.ts by npm run env:docs -->';
export const README_TABLE_END = '<!-- env:docs end -->';

/** The README with its configuration table replaced by the rendered one. */
export function replaceEnvTable(readme: string, schema: EnvGroup[] = ENV_SCHEMA): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md lacks the ${README_TABLE_START} … ${README_TABLE_END} markers`);
  }
  return `${readme.slice(0, start + README_TABLE_START.length)}\n${renderEnvTable(schema)}${readme.slice(end)}`;
}
