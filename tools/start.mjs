// `npm start`: builds what changed since the last start, then runs the API, which serves the SPA
// and (without MONGODB_URI) starts the embedded database under .data/.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, buildIfStale } from './build-if-stale.mjs';

buildIfStale({
  name: 'conecta',
  inputs: [
    'apps/api/src',
    'apps/web/src',
    'apps/web/index.html',
    'apps/web/vite.config.ts',
    'libs/contracts/src',
    'libs/graph-client/src',
    'package-lock.json',
    'tsconfig.base.json',
    'nest-cli.json',
  ],
  outputs: [
    'apps/api/dist/main.js',
    'apps/web/dist/index.html',
    'libs/contracts/dist/index.js',
    'libs/graph-client/dist/index.js',
  ],
  steps: [['run', 'build']],
});

const api = spawn(process.execPath, [join(ROOT, 'apps/api/dist/main.js')], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
