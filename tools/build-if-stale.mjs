// Rebuilds only when sources changed since the last build: a stamp of the inputs' paths, sizes and
// modification times, kept under .cache/. Used by `npm start` and the reliability suite.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

function* files(path) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) yield* files(join(path, name));
  } else {
    yield [relative(ROOT, path), st.size, st.mtimeMs];
  }
}

function sourceStamp(inputs) {
  const h = createHash('sha256');
  for (const input of inputs) {
    const path = join(ROOT, input);
    if (existsSync(path)) for (const f of files(path)) h.update(f.join(':') + '\n');
  }
  return h.digest('hex');
}

/**
 * Runs each `npm` step in `steps` when an output is missing or an input changed since the stamp
 * `name` was written; exits the process when a step fails.
 */
export function buildIfStale({ name, inputs, outputs, steps, say = console.log }) {
  const stampFile = join(ROOT, '.cache', `${name}-build-stamp`);
  const stamp = sourceStamp(inputs);
  const built = outputs.every((o) => existsSync(join(ROOT, o)));
  const previous = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (built && previous === stamp) return false;
  say(`[${name}] building (sources changed since the last build)…`);
  for (const args of steps) {
    const res = spawnSync('npm', args, { cwd: ROOT, stdio: 'inherit' });
    if (res.status !== 0) {
      console.error(`[${name}] npm ${args.join(' ')} failed`);
      process.exit(res.status ?? 1);
    }
  }
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  writeFileSync(stampFile, `${stamp}\n`);
  return true;
}
