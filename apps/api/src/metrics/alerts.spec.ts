import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsService } from './metrics.service';

const DEPLOY = join(__dirname, '..', '..', '..', '..', 'deploy');
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));

/**
 * `it` for a test that needs promtool. Outside CI a missing promtool reports the test as skipped,
 * with a line saying why; under CI=true the test fails.
 */
function itWithPromtool(name: string, test: (promtool: string) => void): void {
  if (PROMTOOL) {
    it(name, () => test(PROMTOOL));
  } else if (process.env.CI === 'true') {
    it(name, () => {
      throw new Error('CI=true and promtool is missing (apt-get install prometheus)');
    });
  } else {
    console.warn('alert rule tests skipped: promtool not found (apt-get install prometheus)');
    it.skip(name, () => undefined);
  }
}

describe('deploy/alerts.yml', () => {
  it('reads only metrics that the API exports', async () => {
    const rules = readFileSync(join(DEPLOY, 'alerts.yml'), 'utf8');
    const used = new Set(
      [...rules.matchAll(/\b(conecta_[a-z_]+)/g)].map((m) =>
        (m[1] ?? '').replace(/_(count|sum|bucket)$/, ''),
      ),
    );
    const exported = new Set(
      (await new MetricsService().registry.getMetricsAsJSON()).map((m) => m.name),
    );
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });

  itWithPromtool('passes its promtool rule tests', (promtool) => {
    const res = spawnSync(promtool, ['test', 'rules', 'alerts.test.yml'], {
      cwd: DEPLOY,
      encoding: 'utf8',
    });
    expect(`${res.stdout}${res.stderr}`).toContain('SUCCESS');
    expect(res.status).toBe(0);
  });
});
