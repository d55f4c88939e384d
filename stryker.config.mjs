// @ts-check
// Mutation testing of the engine: `npm run mutate` (not part of `npm test`; see docs/testing.md).
// Narrow a run while working: `npm run mutate -- --mutate src/core/createRefresher.ts:40-80`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // The node-environment unit tests of the engine: tests/unit/core and tests/unit/tabs.
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: [
    'src/core/**/*.ts',
    'src/axios/attachAuthInterceptor.ts',
    '!src/core/index.ts',
    // Declarations only: no mutants.
    '!src/core/{types,state,events,options,AuthSession}.ts',
  ],
  // Messages are asserted where they matter; mutating every string only adds noise.
  mutator: { excludedMutations: ['StringLiteral'] },
  // Two cores shared with others: never more than two test processes.
  concurrency: 2,
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', '.stryker-tmp*', 'dist', 'dist-extension', 'lib'],
  thresholds: { high: 90, low: 85, break: null },
}
