import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsService } from './metrics.service';

const DEPLOY = join(__dirname, '..', '..', '..', '..', 'deploy');
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));

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

  it('passes its promtool rule tests', () => {
    if (!PROMTOOL) {
      if (process.env.CI === 'true')
        throw new Error('promtool is missing (apt-get install prometheus)');
      console.warn('alert rule tests skipped: promtool not found (apt-get install prometheus)');
      return;
    }
    const res = spawnSync(PROMTOOL, ['test', 'rules', 'alerts.test.yml'], {
      cwd: DEPLOY,
      encoding: 'utf8',
    });
    expect(`${res.stdout}${res.stderr}`).toContain('SUCCESS');
    expect(res.status).toBe(0);
  });
});
