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
