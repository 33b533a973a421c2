// Builds only when needed. `npm run build` ends by marking .cache/build-stamp; a source newer than
// that mark (or a missing output) means the build is stale. Used by `npm start`, the API's
// command-line tasks, the benchmarks and the reliability suite. A lock directory makes concurrent
// callers (test files starting `npm start` in parallel) wait for one build instead of deleting
// each other's output.
//
//   node tools/build-if-stale.mjs --mark     (the last step of `npm run build`)
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, '.cache');
const STAMP = join(CACHE, 'build-stamp');
const LOCK = join(CACHE, 'build.lock');
const LOCK_STALE_MS = 10 * 60_000;

const INPUTS = [
  'apps/api/src',
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'libs/contracts/src',
  'libs/graph-client/src',
  'package-lock.json',
  'tsconfig.base.json',
  'apps/api/tsconfig.app.json',
  'nest-cli.json',
];
const OUTPUTS = [
  'apps/api/dist/main.js',
  'apps/web/dist/index.html',
  'libs/contracts/dist/index.js',
  'libs/graph-client/dist/index.js',
  'libs/graph-client/dist/testing/index.js',
];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function isStale() {
  if (!existsSync(STAMP) || !OUTPUTS.every((o) => existsSync(join(ROOT, o)))) return true;
  const built = statSync(STAMP).mtimeMs;
  return INPUTS.some((i) => existsSync(join(ROOT, i)) && newestMtime(join(ROOT, i)) > built);
}

/** Records that a full build just finished. */
export function markBuilt() {
  mkdirSync(CACHE, { recursive: true });
  closeSync(openSync(STAMP, 'a'));
  const now = new Date();
  utimesSync(STAMP, now, now);
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock() {
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      // A lock older than any build belongs to a process that died while building.
      const since = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      sleepSync(500);
    }
  }
}

/** Runs `npm run build` when the build is missing or older than a source; exits if it fails. */
export function ensureBuilt(say = console.log) {
  if (!isStale()) return false;
  acquireLock();
  try {
    // Another caller may have built while we waited for the lock.
    if (!isStale()) return false;
    say('[conecta] building the API and the dashboard (sources changed since the last build)…');
    const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (res.status !== 0) {
      console.error('[conecta] npm run build failed');
      process.exit(res.status ?? 1);
    }
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--mark') {
  markBuilt();
}
