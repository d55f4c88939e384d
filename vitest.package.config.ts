import { defineConfig } from 'vitest/config'

// The package as an adopter gets it: the built lib/ and the packed tarball. `npm run
// test:package` builds lib/ first; these tests read it and never rebuild it.
export default defineConfig({
  test: {
    name: 'package',
    environment: 'node',
    include: ['tests/package/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
})
