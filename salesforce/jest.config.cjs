// Jest for the Lightning Web Components of this Salesforce DX project (@salesforce/sfdx-lwc-jest),
// run from this folder by `npm run test:salesforce` (scripts/test.ts). Only the components' own
// __tests__ are collected: the repository's vitest suite (test/**/*.test.ts) is never picked up,
// and vitest's include never reaches this folder.
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  testMatch: ['**/lwc/**/__tests__/**/*.test.js'],
  // Apex methods the components import are mocked per test (jest.mock(..., { virtual: true })).
  clearMocks: true,
};
