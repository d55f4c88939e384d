import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'
import { sourceAliases } from './packageEntries.ts'

// Unit, integration and contract tests. The engine runs in the node environment because
// under jsdom with fake timers an axios `timeout` never fires; React tests run in jsdom.
// Browser tests (real Chromium) live in vitest.e2e.config.ts.
export default defineConfig({
  plugins: [react()],
  resolve: { alias: sourceAliases },
  test: {
    // A test's time limit only catches a hang: no test here measures speed (`npm run bench`
    // does). Vitest's 5 s default did measure it: on two cores shared with other work, React
    // tests that take 1-3.6 s alone timed out at 5 s in a fresh-clone run.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/contract/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['tests/integration/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/integration/setup.ts'],
        },
      },
    ],
  },
})
