import { existsSync } from 'node:fs'
import { defineConfig } from 'tsdown'
import { PACKAGE_ENTRIES, PACKAGE_NAME } from './packageEntries.ts'

// `npm run build:lib`: each entry of package.json `exports` as ESM + .d.ts in lib/. Every entry
// but the engine imports the engine by its public name, kept external here, so an app that uses
// several entries loads one engine (one set of error classes, timers and managers).
// An entry whose source is missing is left out with a warning; publint and the pack test then
// fail on its missing lib files.
const entry = Object.fromEntries(
  Object.entries(PACKAGE_ENTRIES).filter(([name, file]) => {
    if (existsSync(file)) return true
    console.warn(`[build:lib] ${file} is missing: the ${name} entry is not built`)
    return false
  }),
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
  // The engine's modules stay apart (lib/<module>.js), so that lib/index.js is a facade: an app
  // bundles the modules it uses and skips the others (sideEffects: false), with their top-level
  // singletons and imports. An app that imports only isAuthKitError gets lib/errors.js alone,
  // not jwt-decode, whose top-level code no bundler may drop.
  inputOptions: {
    // What the split below requires; said here so Rolldown does not warn that it set it.
    preserveEntrySignatures: 'allow-extension',
    // The d.ts generation is most of the build's 5 s, as expected: no timing report.
    checks: { pluginTimings: false },
  },
  outputOptions: {
    codeSplitting: {
      includeDependenciesRecursively: false,
      groups: [{ name: (id) => /[\\/]src[\\/]core[\\/](\w+)\.ts$/.exec(id)?.[1] ?? null }],
    },
  },
})
