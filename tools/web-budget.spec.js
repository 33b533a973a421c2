// The SPA's initial JavaScript stays under its budget whatever the shell's NODE_ENV: the README's
// default NODE_ENV=development once built React's development bundle, over the budget, and the
// first `npm start` failed.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { afterAll, describe, expect, it } = require('@jest/globals');

const WEB = join(__dirname, '..', 'apps', 'web');
const out = mkdtempSync(join(tmpdir(), 'conecta-web-budget-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function build(nodeEnv) {
  const outDir = join(out, nodeEnv);
  const env = { ...process.env, NODE_ENV: nodeEnv };
  const vite = spawnSync(
    process.execPath,
    [join(__dirname, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', outDir],
    { cwd: WEB, env, encoding: 'utf8' },
  );
  expect(vite.status).toBe(0);
  const report = spawnSync(process.execPath, ['scripts/report-sizes.mjs', outDir], {
    cwd: WEB,
    env,
    encoding: 'utf8',
  });
  return report;
}

describe('SPA initial JavaScript budget', () => {
  it.each(['development', 'production'])(
    'holds with NODE_ENV=%s, every page in its own chunk',
    (nodeEnv) => {
      const report = build(nodeEnv);
      expect(report.stderr).not.toContain('over budget');
      expect(report.status).toBe(0);
      const kb = Number(/initial JavaScript: ([\d.]+) KB gzip/.exec(report.stdout)?.[1]);
      expect(kb).toBeGreaterThan(0);
      expect(kb).toBeLessThanOrEqual(200);
      for (const page of [
        'conversations-page',
        'integrations-page',
        'chatbots-page',
        'settings-page',
        'sign-in-page',
      ]) {
        expect(report.stdout).toMatch(new RegExp(`lazy .* ${page}-[\\w-]+\\.js`));
      }
    },
    120_000,
  );
});
