// `npm run bench [-- NAME ...]`: runs the benchmarks of tools/bench one after the other, each in
// its own process with its default settings (after `nx run-many -t build`, which the npm script
// runs first). Names: validate, cms, engine; none given: all three. Each prints its own report
// (results and method in docs/performance.md); the exit code is the first failing benchmark's.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = {
  validate: ['validate.mjs'],
  cms: ['cms.mjs'],
  engine: ['engine.mjs'],
};
const names = process.argv.slice(2);
const unknown = names.filter((n) => !(n in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
let status = 0;
for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
  const [script, ...args] = BENCHMARKS[name];
  console.log(`\n=== ${name}: node tools/bench/${[script, ...args].join(' ')}`);
  const r = spawnSync(process.execPath, [path.join(here, script), ...args], { stdio: 'inherit' });
  if (r.status !== 0 && status === 0) status = r.status ?? 1;
}
process.exit(status);
