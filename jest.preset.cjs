// Shared Jest configuration. Each project has `jest.config.cjs` calling this with its own folder.
// Tests run against sources: `@samhandling/<name>` maps to `packages/<name>/src/index.ts`.
'use strict';
const path = require('node:path');

const root = __dirname;
// ESM-only dependencies that Jest (CommonJS mode) must transform.
const esmOnly = ['pkijs', 'asn1js', '@peculiar', 'bytestreamjs', '@noble', 'pvtsutils', 'pvutils'];

module.exports = function preset(projectDir, overrides = {}) {
  return {
    displayName: path.basename(projectDir),
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(t|j|mj|cj)sx?$|^.+\\.mjs$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json', 'node'],
    moduleNameMapper: {
      '^@samhandling/([a-z0-9-]+)$': path.join(root, 'packages/$1/src/index.ts'),
    },
    testTimeout: 30000,
    reporters: [
      'default',
      [path.join(root, 'tools/jest/summary-reporter.cjs'), { name: path.basename(projectDir), dir: path.join(root, 'tmp/test-results') }],
    ],
    ...overrides,
  };
};
