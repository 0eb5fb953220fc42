#!/usr/bin/env node
// Writes docs/protocols/hospital-stay.md from the hospital-stay definition in @samhandling/procedure
// (its built dist: run `npx tsup` in packages/procedure first). Node built-ins only.
//
// Usage:
//   node tools/scripts/gen-procedure-docs.mjs           write the page
//   node tools/scripts/gen-procedure-docs.mjs --check   exit 1 when the committed page is stale
// The same comparison runs in packages/procedure/src/docs.test.ts against the sources.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'packages', 'procedure', 'dist', 'index.mjs');
const target = join(root, 'docs', 'protocols', 'hospital-stay.md');

if (!existsSync(dist)) {
  console.error(`gen-procedure-docs: ${dist} not found; run "npx tsup" in packages/procedure first`);
  process.exit(2);
}
const { renderProtocolPage } = await import(pathToFileURL(dist).href);
const page = renderProtocolPage();
if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== page) {
    console.error(`gen-procedure-docs: ${target} is stale; run node tools/scripts/gen-procedure-docs.mjs`);
    process.exit(1);
  }
  console.log('gen-procedure-docs: up to date');
} else {
  writeFileSync(target, page);
  console.log(`gen-procedure-docs: wrote ${target}`);
}
