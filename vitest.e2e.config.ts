import { defineConfig } from 'vitest/config'
import { sourceAliases } from './packageEntries.ts'

// End-to-end tests in real Chromium (playwright-core and /usr/bin/chromium) against the
// built app (`dist/`) and extension (`dist-extension/`). One file at a time: two cores.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['tests/e2e/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 60_000,
  },
})
