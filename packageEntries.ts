import { fileURLToPath } from 'node:url'

/**
 * The package's entry points (`exports` in package.json) and the source each is built from. The
 * app, the extension and the docs import these names; in this repository they resolve to the
 * source through `sourceAliases` (Vite, Vitest) and tsconfig `paths` (tsc, tsx, esbuild).
 */
export const PACKAGE_ENTRIES = {
  index: 'src/core/index.ts',
  axios: 'src/axios/index.ts',
  react: 'src/react/index.ts',
  devtools: 'src/devtools/index.ts',
  msw: 'mocks/msw.ts',
} as const

export const PACKAGE_NAME = 'token-refresh-kit'

const specifierOf = (entry: string) =>
  entry === 'index' ? PACKAGE_NAME : `${PACKAGE_NAME}/${entry}`

/** Vite's `resolve.alias`: each public specifier, exactly, to its source file. */
export const sourceAliases = Object.entries(PACKAGE_ENTRIES).map(([entry, file]) => ({
  find: new RegExp(`^${specifierOf(entry)}$`),
  replacement: fileURLToPath(new URL(file, import.meta.url)),
}))
