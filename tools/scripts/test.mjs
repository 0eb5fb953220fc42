#!/usr/bin/env node
// `npm test`: builds, lints, type-checks, checks packaging (publint) and runs every project's tests,
// then prints one closing line with the totals.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(root, 'tmp', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const extra = process.argv.slice(2);
const nx = join(root, 'node_modules', '.bin', 'nx');
const run = spawnSync(
  nx,
  ['run-many', '-t', 'build', 'lint', 'typecheck', 'publint', 'test', '--outputStyle=stream', '--parallel=2', ...extra],
  { cwd: root, stdio: 'inherit', env },
);

// Releases: `nx release --dry-run` must keep working (one fixed version, conventional commits).
let releaseOk = true;
if (run.status === 0 && existsSync(join(root, '.git'))) {
  const release = spawnSync(nx, ['release', '--dry-run', '--skip-publish'], { cwd: root, env, encoding: 'utf8' });
  releaseOk = release.status === 0;
  if (!releaseOk) {
    process.stdout.write(release.stdout ?? '');
    process.stderr.write(release.stderr ?? '');
    console.log('nx release --dry-run failed: see the output above.');
  } else {
    console.log('nx release --dry-run: ok');
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
let brokenSuites = 0;
if (existsSync(resultsDir)) {
  for (const file of readdirSync(resultsDir)) {
    const r = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
    brokenSuites += r.runtimeErrorSuites;
  }
}
const status = run.status ?? 1;
if (brokenSuites > 0) console.log(`${brokenSuites} test suite(s) failed to run`);
if (status !== 0) console.log('One or more tasks failed (build, lint, typecheck, publint or test): see the output above.');
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status === 0 && failed === 0 && releaseOk ? 0 : 1);
