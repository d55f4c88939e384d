import { existsSync } from 'node:fs'
import { defineConfig } from 'tsdown'
import { PACKAGE_ENTRIES, PACKAGE_NAME } from './packageEntries'

// `npm run build:lib`: each entry of package.json `exports` as ESM + .d.ts in lib/. Every entry
// but the engine imports the engine by its public name, kept external here, so an app that uses
// several entries loads one engine (one set of error classes, timers and managers).
// TODO(issue 12): the /msw entry's source comes with createAuthHandlers (branch wip/msw).
const entry = Object.fromEntries(
  Object.entries(PACKAGE_ENTRIES).filter(([, file]) => existsSync(file)),
)

export default defineConfig({
  entry,
  outDir: 'lib',
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  tsconfig: 'tsconfig.lib.json',
  dts: true,
  sourcemap: false,
  clean: true,
  hash: false,
  deps: { neverBundle: [new RegExp(`^${PACKAGE_NAME}(/|$)`)] },
})
