import { resolve } from 'node:path'
import { build } from 'vite'

/**
 * The app's production build into `outDir`, with `env` (`VITE_API_URL`, `VITE_REFRESH_MODE`...)
 * set for the build only: Vite reads them from `process.env`, which is put back afterwards.
 */
export async function buildApp(outDir: string, env: Record<string, string>): Promise<void> {
  const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  Object.assign(process.env, env)
  try {
    await build({
      configFile: resolve('vite.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    })
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}
