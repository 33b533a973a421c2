// `npm run keys:rotate`: builds the API if needed and re-encrypts every stored secret under ENCRYPTION_KEY.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}apps/api/dist/cli/rotate-keys.js`;
if (!existsSync(cli)) {
  const res = spawnSync('npm', ['run', 'build:libs'], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
  const api = spawnSync('npm', ['run', 'build', '-w', '@conecta/api'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (api.status !== 0) process.exit(api.status ?? 1);
}
const res = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
