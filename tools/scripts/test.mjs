#!/usr/bin/env node
// `npm test`: builds, lints, type-checks, checks packaging (publint) and runs every project's tests,
// then prints one closing line with the totals. Under CI (CI set) a skipped test fails the run, unless
// SAMHANDLING_ALLOW_SKIPS=1; see test-summary.mjs.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults, skipPolicy, summarise } from './test-summary.mjs';

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

// The unit tests of this script's summary (node:test; tools/ is not an Nx project).
const toolTests = spawnSync(process.execPath, ['--test', join(root, 'tools', 'scripts', 'test-summary.test.mjs')], { cwd: root, env, encoding: 'utf8' });
const toolTestsOk = toolTests.status === 0;
if (toolTestsOk) {
  console.log('tools/scripts/test-summary.test.mjs: ok');
} else {
  process.stdout.write(toolTests.stdout ?? '');
  process.stderr.write(toolTests.stderr ?? '');
  console.log('tools/scripts/test-summary.test.mjs failed: see the output above.');
}

// Totals, and under CI a skipped test fails the run (tools/scripts/test-summary.mjs).
const { passed, failed, skipped, brokenSuites, skipsFail, lines } = summarise(readResults(resultsDir), skipPolicy(process.env));
const status = run.status ?? 1;
if (brokenSuites > 0) console.log(`${brokenSuites} test suite(s) failed to run`);
if (status !== 0) console.log('One or more tasks failed (build, lint, typecheck, publint or test): see the output above.');
for (const line of lines) console.log(line);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status === 0 && failed === 0 && releaseOk && toolTestsOk && !skipsFail ? 0 : 1);
