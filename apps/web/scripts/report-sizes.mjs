// Prints the gzip size of every built JavaScript chunk and fails when the initial JS (the entry
// chunk and its static imports) is over budget. `npm run build` runs it; tools/web-budget.spec.js
// builds with NODE_ENV=development and production and runs it on both.
//
//   node scripts/report-sizes.mjs [distDir]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const BUDGET_KB = 200;
const dist = process.argv[2] ?? new URL('../dist/', import.meta.url).pathname;
const assets = join(dist, 'assets');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set(
  [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]),
);

let initialBytes = 0;
const rows = [];
for (const file of readdirSync(assets)
  .filter((f) => f.endsWith('.js'))
  .sort()) {
  const gz = gzipSync(readFileSync(join(assets, file))).length;
  const isInitial = initial.has(file);
  if (isInitial) initialBytes += gz;
  rows.push(
    `${isInitial ? 'initial' : 'lazy   '}  ${(gz / 1024).toFixed(1).padStart(7)} KB gzip  ${file}`,
  );
}
console.log(rows.join('\n'));
console.log(
  `initial JavaScript: ${(initialBytes / 1024).toFixed(1)} KB gzip (budget ${BUDGET_KB} KB)`,
);
if (initialBytes > BUDGET_KB * 1024) {
  console.error('initial JavaScript is over budget');
  process.exit(1);
}
