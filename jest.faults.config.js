/**
 * The fault suite (`npm run test:faults`): spawns the real product and kills it. Separate from
 * `npm test` (no shared dev server: every product starts its own), one file at a time.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testTimeout: 300_000,
  maxWorkers: 1,
};
