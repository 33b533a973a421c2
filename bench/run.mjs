// `npm run bench`: builds if needed, then runs every benchmark with the parameters and
// prints their tables. Run a script directly for other sizes (see docs/benchmarks.md).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, ensureBuilt } from '../tools/build-if-stale.mjs';

ensureBuilt();

let failed = false;
for (const script of ['bench/webhook.mjs', 'bench/conversations-query.mjs']) {
  console.log(`\n$ node ${script}\n`);
  const res = spawnSync(process.execPath, [join(ROOT, script)], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
