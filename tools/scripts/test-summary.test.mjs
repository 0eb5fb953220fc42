// Unit tests for test-summary.mjs and the result files of tools/jest/summary-reporter.cjs.
// Run: node --test tools/scripts/test-summary.test.mjs (npm test runs it too).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { envFlag, readResults, skipPolicy, summarise } from './test-summary.mjs';

const require = createRequire(import.meta.url);
const SummaryReporter = require('../jest/summary-reporter.cjs');

const clean = (project, passed) => ({ project, passed, failed: 0, skipped: 0, suitesFailed: 0, runtimeErrorSuites: 0, skippedTests: [] });
const pgSkipped = {
  project: 'store-postgres',
  passed: 0,
  failed: 0,
  skipped: 2,
  suitesFailed: 0,
  runtimeErrorSuites: 0,
  skippedTests: [
    {
      file: 'packages/store-postgres/test/postgres-store.test.ts',
      tests: [
        { name: 'PostgreSQL adapter rejects bad options', status: 'pending' },
        { name: 'PostgreSQL adapter some later work', status: 'todo' },
      ],
      notes: ['store contract PostgreSQL skipped: SAMHANDLING_SKIP_PG=1'],
    },
  ],
};

describe('skipPolicy', () => {
  it('reads CI as a flag: unset, empty, 0 and false are not CI', () => {
    for (const v of [undefined, '', '0', 'false', 'FALSE']) assert.equal(envFlag(v), false, String(v));
    for (const v of ['true', '1', 'yes', 'TRUE']) assert.equal(envFlag(v), true, v);
  });
  it('allows skips only with SAMHANDLING_ALLOW_SKIPS=1', () => {
    assert.deepEqual(skipPolicy({}), { ci: false, allowSkips: false });
    assert.deepEqual(skipPolicy({ CI: 'true' }), { ci: true, allowSkips: false });
    assert.deepEqual(skipPolicy({ CI: 'true', SAMHANDLING_ALLOW_SKIPS: '1' }), { ci: true, allowSkips: true });
    assert.deepEqual(skipPolicy({ CI: 'true', SAMHANDLING_ALLOW_SKIPS: 'yes' }), { ci: true, allowSkips: false });
  });
});

describe('summarise', () => {
  it('adds up the projects', () => {
    const s = summarise([clean('plo', 3), { ...clean('cms', 2), failed: 1, runtimeErrorSuites: 1 }, pgSkipped], { ci: false, allowSkips: false });
    assert.deepEqual({ passed: s.passed, failed: s.failed, skipped: s.skipped, brokenSuites: s.brokenSuites }, { passed: 5, failed: 1, skipped: 2, brokenSuites: 1 });
  });

  it('outside CI counts skips and prints nothing more (as before)', () => {
    const s = summarise([clean('plo', 3), pgSkipped], { ci: false, allowSkips: false });
    assert.equal(s.skipsFail, false);
    assert.deepEqual(s.lines, []);
  });

  it('under CI fails on a skip and names the project, file, tests and reason', () => {
    const s = summarise([clean('plo', 3), pgSkipped], { ci: true, allowSkips: false });
    assert.equal(s.skipsFail, true);
    const text = s.lines.join('\n');
    assert.match(text, /^2 test\(s\) skipped under CI:/);
    assert.match(text, /store-postgres: 2 skipped/);
    assert.match(text, /packages\/store-postgres\/test\/postgres-store\.test\.ts/);
    assert.match(text, /why: store contract PostgreSQL skipped: SAMHANDLING_SKIP_PG=1/);
    assert.match(text, /- PostgreSQL adapter rejects bad options\n/);
    assert.match(text, /- PostgreSQL adapter some later work \(todo\)/);
    assert.match(text, /so this run fails/);
    assert.match(text, /SAMHANDLING_ALLOW_SKIPS=1/);
    assert.doesNotMatch(text, /plo/);
  });

  it('under CI with SAMHANDLING_ALLOW_SKIPS=1 lists the skips but does not fail', () => {
    const s = summarise([pgSkipped], { ci: true, allowSkips: true });
    assert.equal(s.skipsFail, false);
    assert.match(s.lines.join('\n'), /allowed by SAMHANDLING_ALLOW_SKIPS=1[\s\S]*rejects bad options/);
  });

  it('under CI with nothing skipped passes and prints nothing more', () => {
    const s = summarise([clean('plo', 3), clean('cms', 1)], { ci: true, allowSkips: false });
    assert.equal(s.skipsFail, false);
    assert.deepEqual(s.lines, []);
  });

  it('under CI fails on a skip count even without recorded details', () => {
    const { skippedTests: _details, ...bare } = pgSkipped;
    const s = summarise([bare], { ci: true, allowSkips: false });
    assert.equal(s.skipsFail, true);
    assert.match(s.lines.join('\n'), /store-postgres: 2 skipped\n {4}\(no details recorded\)/);
  });
});

describe('summary-reporter result files', () => {
  it('record skipped tests with the reasons the file printed, and readResults reads them back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samhandling-test-summary-'));
    try {
      const reporter = new SummaryReporter({}, { name: 'store-postgres', dir });
      reporter.onRunStart();
      reporter.onTestResult(
        {},
        {
          testFilePath: join(process.cwd(), 'packages', 'store-postgres', 'test', 'postgres-store.test.ts'),
          testResults: [
            { fullName: 'PostgreSQL adapter rejects bad options', title: 'rejects bad options', status: 'pending' },
            { fullName: 'PostgreSQL adapter runs', title: 'runs', status: 'passed' },
          ],
          console: [
            { message: 'store contract PostgreSQL skipped: SAMHANDLING_SKIP_PG=1', type: 'warn', origin: '' },
            { message: 'unrelated output', type: 'log', origin: '' },
          ],
        },
      );
      reporter.onTestResult({}, { testFilePath: join(process.cwd(), 'packages', 'store-postgres', 'test', 'other.test.ts'), testResults: [{ fullName: 'x', status: 'passed' }], console: undefined });
      reporter.onRunComplete(new Set(), { numPassedTests: 1, numFailedTests: 0, numPendingTests: 1, numTodoTests: 0, numFailedTestSuites: 0, numRuntimeErrorTestSuites: 0 });

      const results = readResults(dir);
      assert.equal(results.length, 1);
      assert.equal(results[0].skipped, 1);
      assert.equal(results[0].skippedTests.length, 1);
      assert.deepEqual(results[0].skippedTests[0].tests, [{ name: 'PostgreSQL adapter rejects bad options', status: 'pending' }]);
      assert.deepEqual(results[0].skippedTests[0].notes, ['store contract PostgreSQL skipped: SAMHANDLING_SKIP_PG=1']);
      assert.match(results[0].skippedTests[0].file, /store-postgres\/test\/postgres-store\.test\.ts$/);
      assert.equal(summarise(results, { ci: true, allowSkips: false }).skipsFail, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('readResults of a missing folder is empty', () => {
    assert.deepEqual(readResults(join(tmpdir(), 'samhandling-no-such-folder')), []);
  });
});
