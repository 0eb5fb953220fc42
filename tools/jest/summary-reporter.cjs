// Jest reporter writing one JSON summary per project to tmp/test-results/, which
// tools/scripts/test.mjs adds up into the suite's closing line.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig, options = {}) {
    this.name = options.name ?? 'project';
    this.dir = options.dir;
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
    };
    fs.writeFileSync(path.join(this.dir, `${this.name}.json`), JSON.stringify(summary, null, 2));
  }
}
module.exports = SummaryReporter;
