import { resolve } from 'node:path'
import { build } from 'vite'

/**
 * The app's production build into `outDir`, with `env` (`VITE_API_URL`, `VITE_REFRESH_MODE`...)
 * set for the build only: Vite reads them from `process.env`, which is put back afterwards.
 * `NODE_ENV` is `production`, as from a shell's `vite build`: Vitest's `test` would make a
 * development build (`import.meta.env.DEV`), which carries the devtools bridge.
 */
export async function buildApp(
  outDir: string,
  env: Record<string, string | undefined>,
  { sourcemap = false }: { sourcemap?: boolean } = {},
): Promise<void> {
  const values = { NODE_ENV: 'production', ...env }
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]))
  setEnv(values)
  try {
    await build({
      configFile: resolve('vite.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true, sourcemap },
    })
  } finally {
    setEnv(previous)
  }
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
}
