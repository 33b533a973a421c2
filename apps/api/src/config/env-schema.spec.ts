import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { ENV_SCHEMA, envVariableNames, renderEnvExample, replaceEnvTable } from './env-schema';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FIX = 'run `npm run env:docs` after changing apps/api/src/config/env-schema.ts';

/** The variables `loadConfig` reads from an environment. */
function variablesRead(env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name);
    },
  });
  loadConfig(recording, mkdtempSync(join(tmpdir(), 'conecta-env-')));
  return read;
}

describe('environment schema', () => {
  it('is what README.md and .env.example say', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    expect({ readme, fix: FIX }).toEqual({ readme: replaceEnvTable(readme), fix: FIX });
    expect({ example, fix: FIX }).toEqual({ example: renderEnvExample(), fix: FIX });
  });

  it('lists exactly the variables loadConfig reads, each once', () => {
    const names = envVariableNames();
    expect(new Set(names).size).toBe(names.length);
    const read = new Set([
      ...variablesRead({}),
      ...variablesRead({
        MONGODB_URI: 'mongodb://db:27017',
        ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      }),
    ]);
    expect([...read].sort()).toEqual([...names].sort());
  });

  it('documents the defaults loadConfig applies', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'conecta-env-'));
    // WHATSAPP_DEMO pinned: its default depends on whether WHATSAPP_BASE_URL is set at all.
    const base = { NODE_ENV: 'development', WHATSAPP_DEMO: 'false' };
    const unset = JSON.stringify(loadConfig(base, cwd).config);
    const documented = ENV_SCHEMA.flatMap((g) => g.variables).filter((v) => v.default);
    expect(documented.length).toBeGreaterThan(30);
    for (const v of documented) {
      const set = JSON.stringify(loadConfig({ ...base, [v.name]: v.default ?? '' }, cwd).config);
      expect({ variable: v.name, config: set }).toEqual({ variable: v.name, config: unset });
    }
  });
});
