import { defineConfig } from 'vitest/config'
import { sourceAliases } from './packageEntries.ts'

// The engine's node-environment unit tests: the test set StrykerJS runs against each mutant
// (stryker.config.mjs, `npm run mutate`).
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    environment: 'node',
    include: ['tests/unit/core/**/*.test.ts', 'tests/unit/tabs/**/*.test.ts'],
    // The 8-hour soak is 22 s of the suite's 36 s, and every mutant it covers (most of the
    // session's) would pay it. It runs in `npm test`; scheduler.test.ts holds the same claims
    // over a few token lifetimes.
    exclude: ['tests/unit/core/longSession.test.ts'],
    // One worker imports msw, axios and the engine once, not once per test file and mutant: a
    // mutant run is then a few times faster. The files pass this way too (`--no-isolate`).
    isolate: false,
  },
})
