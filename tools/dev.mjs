// `npm run dev`: the API in watch mode and the Vite dev server (proxying /api to the API).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (name, args) => {
  const child = spawn('npm', args, { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => {
    console.log(`[dev] ${name} exited (${code}); stopping`);
    process.exit(code ?? 1);
  });
  return child;
};

const libs = spawn('npm', ['run', 'build:libs'], { cwd: root, stdio: 'inherit' });
libs.on('exit', (code) => {
  if (code !== 0) process.exit(code ?? 1);
  const children = [
    run('api', ['run', 'dev', '-w', '@conecta/api']),
    run('web', ['run', 'dev', '-w', '@conecta/web']),
  ];
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => children.forEach((c) => c.kill(signal)));
});
