// Jest reporter writing one JSON summary per project to tmp/test-results/, which
// tools/scripts/test.mjs adds up into the suite's closing line. Besides the counts it records each
// skipped test (file, full name, status) and the console lines of that file that mention a skip
// (the tests print why they skip), so that `npm test` under CI can say what was skipped and why.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.join(__dirname, '..', '..');
// Jest's statuses for a test that did not run (`it.skip`, `describe.skip`, `it.todo`, not focused).
const NOT_RUN = new Set(['pending', 'skipped', 'todo', 'disabled']);
const MAX_NOTES = 5;
const MAX_NOTE_CHARS = 300;

class SummaryReporter {
  constructor(globalConfig, options = {}) {
    this.name = options.name ?? 'project';
    this.dir = options.dir;
    this.skippedFiles = [];
  }
  onRunStart() {
    this.skippedFiles = [];
  }
  // Per file, because Jest drops a file's captured console output once the reporters have seen it.
  onTestResult(_test, testResult) {
    const tests = (testResult.testResults ?? []).filter((t) => NOT_RUN.has(t.status)).map((t) => ({ name: t.fullName || t.title, status: t.status }));
    if (tests.length === 0) return;
    const notes = (testResult.console ?? [])
      .map((entry) => String(entry.message).trim().split('\n')[0].slice(0, MAX_NOTE_CHARS))
      .filter((message) => /skip/i.test(message))
      .slice(0, MAX_NOTES);
    this.skippedFiles.push({ file: path.relative(repoRoot, testResult.testFilePath).split(path.sep).join('/'), tests, notes });
  }
  onRunComplete(_contexts, results) {
    fs.mkdirSync(this.dir, { recursive: true });
    const summary = {
      project: this.name,
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      suitesFailed: results.numFailedTestSuites,
      runtimeErrorSuites: results.numRuntimeErrorTestSuites,
      skippedTests: this.skippedFiles.sort((a, b) => a.file.localeCompare(b.file)),
    };
    fs.writeFileSync(path.join(this.dir, `${this.name}.json`), JSON.stringify(summary, null, 2));
  }
}
module.exports = SummaryReporter;
