// `npm start`: builds what changed since the last start, then runs the API, which serves the SPA
// and (without MONGODB_URI) starts the embedded database under .data/.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const INPUTS = [
  'apps/api/src',
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'libs/contracts/src',
  'libs/graph-client/src',
  'package-lock.json',
  'tsconfig.base.json',
  'nest-cli.json',
];
const OUTPUTS = [
  'apps/api/dist/main.js',
  'apps/web/dist/index.html',
  'libs/contracts/dist/index.js',
  'libs/graph-client/dist/index.js',
];
const stampFile = join(root, '.cache', 'build-stamp');

function* files(path) {
  const st = statSync(path);
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) yield* files(join(path, name));
  } else {
    yield [relative(root, path), st.size, st.mtimeMs];
  }
}

function sourceStamp() {
  const h = createHash('sha256');
  for (const input of INPUTS) {
    const path = join(root, input);
    if (existsSync(path)) for (const f of files(path)) h.update(f.join(':') + '\n');
  }
  return h.digest('hex');
}

const stamp = sourceStamp();
const built = OUTPUTS.every((o) => existsSync(join(root, o)));
const previous = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
if (!built || previous !== stamp) {
  console.log('[conecta] building the API and the dashboard…');
  const res = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
  mkdirSync(join(root, '.cache'), { recursive: true });
  writeFileSync(stampFile, `${stamp}\n`);
}

const api = spawn(process.execPath, [join(root, 'apps/api/dist/main.js')], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
