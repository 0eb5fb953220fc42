#!/usr/bin/env node
// Writes docs/errors.md from ERROR_TABLE in @samhandling/apprec (the built dist: run
// `npx tsup` in packages/apprec first). The apprec test `src/table.test.ts` fails when the
// committed file differs; `UPDATE_ERRORS_DOC=1 npx jest src/table.test.ts` regenerates it too.
//
// Usage:
//   node tools/scripts/gen-errors-doc.mjs           write docs/errors.md
//   node tools/scripts/gen-errors-doc.mjs --check   exit 1 when docs/errors.md is out of date
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'packages', 'apprec', 'dist', 'index.mjs');
const target = join(root, 'docs', 'errors.md');

if (!existsSync(dist)) {
  console.error(`${dist} not found: run \`npx tsup\` in packages/apprec first`);
  process.exit(2);
}
const { renderErrorCatalogue } = await import(pathToFileURL(dist).href);
const text = renderErrorCatalogue();
if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error('docs/errors.md is out of date: run node tools/scripts/gen-errors-doc.mjs');
    process.exit(1);
  }
  console.log('docs/errors.md is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
