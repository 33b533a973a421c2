// A whole Conecta stack in separate processes, for benchmarks and the reliability suite: the
// embedded database, the built API (`apps/api/dist/main.js`) and the fake Graph API (in this
// process). Nothing here reaches the network beyond 127.0.0.1.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

export function requireBuilt() {
  try {
    return {
      embedded: require(join(ROOT, 'tools/embedded-mongo')),
      testing: require(join(ROOT, 'libs/graph-client/dist/testing/index.js')),
      graph: require(join(ROOT, 'libs/graph-client/dist/index.js')),
    };
  } catch (err) {
    throw new Error(`build first (npm run build): ${err.message}`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Like waitFor, but resolves false at the deadline instead of throwing. */
export async function waitUntil(check, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(intervalMs);
  }
  return Boolean(await check());
}

/** The embedded database in its own process group of children, on a temp dir. */
export async function startDatabase(label = 'bench') {
  const { embedded } = requireBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), `conecta-${label}-db-`));
  // A fixed port, so a restart (reliability suite) keeps the URI the API was given.
  const port = await freePort();
  let server = await embedded.startEmbeddedMongo({ dataDir, port, log: () => {} });
  return {
    uri: server.uri,
    dataDir,
    async stop() {
      await server.stop();
    },
    async restart() {
      server = await embedded.startEmbeddedMongo({ dataDir, port, log: () => {} });
    },
    remove() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every API process started here; killed when this process exits, so none outlives a run. */
const children = new Set();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

export const ADMIN = { email: 'bench-admin@conecta.test', password: 'bench-password-123456' };

/** Starts `node apps/api/dist/main.js` with the given environment; resolves once healthy. */
export async function startApi({ mongoUri, graphUrl, port, env = {}, dataDir, nodeArgs = [] }) {
  const apiPort = port ?? (await freePort());
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'apps/api/dist/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      MONGODB_URI: mongoUri,
      DATA_DIR: dataDir ?? mkdtempSync(join(tmpdir(), 'conecta-api-data-')),
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      WHATSAPP_BASE_URL: graphUrl,
      WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'bench-verify-token',
      WHATSAPP_APP_SECRET: 'bench-app-secret',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-20_000)));
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${apiPort}`;
  let stuck = false;
  await Promise.race([
    waitFor('the API to be healthy', async () => {
      try {
        return (await fetch(`${url}/api/health`)).ok;
      } catch {
        return false;
      }
    }),
    exited.then(({ code }) => {
      throw new Error(`the API exited (${code}) before it was healthy:\n${output}`);
    }),
  ]);
  return {
    url,
    port: apiPort,
    pid: child.pid,
    child,
    exited,
    output: () => output,
    /** Sends `signal`; a process still alive after `graceMs` is killed (SIGKILL). */
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => {
        stuck = true;
        child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
    /** True when the last stop() had to fall back to SIGKILL. */
    get stuck() {
      return stuck;
    },
  };
}

/** A signed-in dashboard client (session cookie + CSRF header). */
export async function signIn(apiUrl, { email, password } = ADMIN) {
  const res = await fetch(`${apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = cookies.find((c) => c.startsWith('conecta_csrf='))?.split('=')[1] ?? '';
  const headers = { cookie: cookies.join('; '), 'x-csrf-token': decodeURIComponent(csrf) };
  const call = async (method, path, body) => {
    const r = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text}`);
    return data;
  };
  return {
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b ?? {}),
    patch: (p, b) => call('PATCH', p, b),
    delete: (p) => call('DELETE', p),
  };
}

export const BUSINESS = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '15550783881',
  token: `EAAB${'x'.repeat(60)}`,
  appSecret: randomBytes(16).toString('hex'),
};

/** A fake Graph API with one business, a chatbot and a connected WhatsApp integration. */
export async function connectWhatsApp(client) {
  const chatbot = await client.post('/api/v1/chatbots', {
    name: 'Bench bot',
    language: 'es',
    welcomeMessage: '¡Hola! ¿En qué te ayudo?',
    fallbackMessage: 'Gracias, te responderemos pronto.',
  });
  const integration = await client.post('/api/v1/integrations', {
    chatbotId: chatbot.id,
    phoneNumberId: BUSINESS.phoneNumberId,
    businessAccountId: BUSINESS.wabaId,
    accessToken: BUSINESS.token,
    appSecret: BUSINESS.appSecret,
  });
  return { chatbot, integration };
}

export function addBusiness(fake) {
  fake.addBusiness({
    wabaId: BUSINESS.wabaId,
    name: 'Bench Shop',
    tokens: [BUSINESS.token],
    phoneNumbers: [
      {
        id: BUSINESS.phoneNumberId,
        displayPhoneNumber: BUSINESS.displayPhoneNumber,
        verifiedName: 'Bench Shop',
      },
    ],
  });
}

/** Runs a child script and collects its single JSON line of output. */
export function runJsonChild(script, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        reject(new Error(`bad output from ${script}: ${out}`));
      }
    });
  });
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/**
 * One inbound text message as Meta sends it to BUSINESS's number: the escaped JSON bytes and their
 * `X-Hub-Signature-256`.
 */
export function signedInboundWebhook({ from, wamid, text, contactName = 'Cliente', userId }) {
  const { testing } = requireBuilt();
  const payload = testing.buildInboundTextWebhook({
    wabaId: BUSINESS.wabaId,
    phoneNumberId: BUSINESS.phoneNumberId,
    displayPhoneNumber: BUSINESS.displayPhoneNumber,
    from,
    wamid,
    text,
    contactName,
    ...(userId ? { userId } : {}),
  });
  const raw = Buffer.from(testing.metaJsonStringify(payload), 'utf8');
  return { raw, signature: sign(raw) };
}

/** The `X-Hub-Signature-256` of a webhook body under an app secret (BUSINESS's by default). */
export function sign(raw, secret = BUSINESS.appSecret) {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

/**
 * Posts n signed single-message webhooks (customers `5255<firstPhone + i>`, wamids
 * `wamid.<tag>.<i>`), 50 at a time; throws unless every one is answered 200. `bsuid`: each sender
 * also carries a business-scoped user id (`US.<firstPhone + i>`), as Meta's webhooks do since 2026.
 */
export async function postInboundBacklog(webhookUrl, n, { tag, firstPhone, bsuid = false }) {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, async (_, k) => {
        const { raw, signature } = signedInboundWebhook({
          from: `5255${String(firstPhone + i + k)}`,
          ...(bsuid ? { userId: `US.${String(firstPhone + i + k)}` } : {}),
          wamid: `wamid.${tag}.${i + k}`,
          text: 'Hola',
        });
        const res = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          body: raw,
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`intake answered ${res.status}`);
      }),
    );
  }
}

/** A Markdown table, columns padded. */
export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}
