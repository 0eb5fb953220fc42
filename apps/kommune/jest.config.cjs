// Tests run against sources; the shared app library lives in apps/node-app.
const path = require('node:path');
const preset = require('../../jest.preset.cjs')(__dirname);
module.exports = {
  ...preset,
  moduleNameMapper: { '^@samhandling/node-app$': path.join(__dirname, '../node-app/src/index.ts'), ...preset.moduleNameMapper },
};
