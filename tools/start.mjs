// `npm start`: builds what changed since the last start, then runs the API, which serves the SPA
// and (without MONGODB_URI) starts the embedded database under .data/.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, ensureBuilt } from './build-if-stale.mjs';

ensureBuilt();

const api = spawn(process.execPath, [join(ROOT, 'apps/api/dist/main.js')], {
  cwd: ROOT,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal));
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
