// Runs one of the API's command-line tasks (apps/api/src/cli/<name>.ts), building first when the
// build is missing or stale: `node tools/run-api-cli.mjs migrate status`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, ensureBuilt } from './build-if-stale.mjs';

const [name, ...args] = process.argv.slice(2);
ensureBuilt((line) => process.stderr.write(`${line}\n`));
const res = spawnSync(process.execPath, [join(ROOT, 'apps/api/dist/cli', `${name}.js`), ...args], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
