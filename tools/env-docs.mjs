// `npm run env:docs`: rewrites the README's configuration table and `.env.example` from the
// environment schema (apps/api/src/config/env-schema.ts). Deterministic: run it after any change to
// the schema; env-schema.spec.ts fails while the files and the schema disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFileSync } from '@swc/core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCHEMA = join(ROOT, 'apps/api/src/config/env-schema.ts');

// The schema is plain TypeScript without imports: compile it to CommonJS and evaluate it.
const { code } = transformFileSync(SCHEMA, {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
});
const module = { exports: {} };
new Function('module', 'exports', 'require', code)(module, module.exports, createRequire(SCHEMA));
const { envVariableNames, renderEnvExample, replaceEnvTable } = module.exports;

const readmePath = join(ROOT, 'README.md');
const examplePath = join(ROOT, '.env.example');
const readme = readFileSync(readmePath, 'utf8');

// A variable documented by hand (README row or .env.example line) but missing from the schema would
// be dropped: refuse, and print the schema entries to add.
const known = new Set(envVariableNames());
const documented = new Map();
for (const [, name, value, meaning] of readme.matchAll(
  /^\| `([A-Z][A-Z0-9_]*)` \| (.*?) \| (.*) \|$/gm,
)) {
  documented.set(name, {
    value: value.replace(/^`|`$/g, ''),
    meaning: meaning.replace(/\\\|/g, '|'),
  });
}
let comment = '';
for (const line of readFileSync(examplePath, 'utf8').split('\n')) {
  const variable = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
  if (variable && !documented.has(variable[1])) {
    documented.set(variable[1], { value: variable[2] || '—', meaning: comment });
  }
  comment = line.startsWith('# ') && !line.startsWith('# ---') ? line.slice(2) : '';
}
const missing = [...documented].filter(([name]) => !known.has(name));
if (missing.length > 0) {
  console.error(
    'env:docs: these variables are documented but not in apps/api/src/config/env-schema.ts;',
  );
  console.error('add them to the schema (in their group) and run npm run env:docs again:');
  for (const [name, { value, meaning }] of missing) {
    const quote = (text) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const fields = [`name: ${quote(name)}`];
    if (value !== '—') fields.push(`default: ${quote(value)}`);
    fields.push(`description: ${quote(meaning || 'TODO: what it does')}`);
    console.error(`  { ${fields.join(', ')} },`);
  }
  process.exit(1);
}

writeFileSync(readmePath, replaceEnvTable(readme));
writeFileSync(examplePath, renderEnvExample());
console.log('env:docs: wrote README.md (configuration table) and .env.example');
