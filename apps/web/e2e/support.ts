import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, LaunchOptions, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = resolve(__dirname, '../../..');
export const SCREENSHOTS = join(ROOT, 'artifacts', 'screenshots');

export const LAUNCH: LaunchOptions = {
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/**
 * `describe` for the browser tests. Outside CI a missing Chromium reports them as skipped, with a
 * line saying why; under CI=true it fails the run.
 */
export function describeWithChromium(name: string, tests: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, tests);
    return;
  }
  const message = `browser tests skipped: Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  console.log(message);
  describe.skip(name, tests);
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  email: string;
  password: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts the product exactly as `npm start` does, on its own data dir and port. */
export async function startServer(
  env: Record<string, string>,
  timeoutMs = 420_000,
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'conecta-e2e-'));
  const port = await freePort();
  // As a user's shell would have it: jest's NODE_ENV=test would make Vite build React's
  // development bundle and the API run in test mode.
  const { NODE_ENV: _jestNodeEnv, MONGODB_URI: _testDb, ...userEnv } = process.env;
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...userEnv,
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await new Promise<void>((done) => {
        const timer = setTimeout(() => {
          try {
            if (child.pid) process.kill(-child.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
          done();
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
      });
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  let credentials: RegExpMatchArray | null = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`npm start exited with ${child.exitCode}:\n${out.slice(-4000)}`);
    }
    credentials = credentials ?? out.match(/Demo sign-in: (\S+) \/ (\S+)/);
    if (credentials) {
      try {
        const res = await fetch(`${baseUrl}/api/health`);
        if (res.ok) break;
      } catch {
        // Not listening yet.
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!credentials || Date.now() >= deadline) {
    await stop();
    throw new Error(`server did not become ready:\n${out.slice(-4000)}`);
  }
  return { baseUrl, email: credentials[1], password: credentials[2], output: () => out, stop };
}

export function ensureScreenshotDir(): void {
  mkdirSync(SCREENSHOTS, { recursive: true });
}

export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  await browser?.close().catch(() => undefined);
}

/** One JSON request from inside the page: its session cookie, the CSRF header, same origin. */
export async function api(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie
        .split('; ')
        .find((c) => c.startsWith('conecta_csrf='))
        ?.slice('conecta_csrf='.length);
      const res = await fetch(path, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    { method, path, body },
  );
}

/** Signs in through the login form (Spanish UI) and waits for the app's navigation. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Iniciar sesión' }).click();
  await page.getByRole('navigation', { name: 'Navegación principal' }).waitFor();
}
