import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

/** An app that signs in and calls its API through axios and the interceptor. */
export const AXIOS_APP = `import axios from 'axios'
import { createAuthSession, attachAuthInterceptor } from './index'
export const session = createAuthSession()
export const api = axios.create()
attachAuthInterceptor(api, session)
`

/** The same app on fetch (ky, ofetch and TanStack Query wrap this same fetch). */
export const FETCH_APP = `import { createAuthSession, createAuthFetch } from './index'
export const session = createAuthSession()
export const api = createAuthFetch(session)
`

const coreDir = fileURLToPath(new URL('../src/core/', import.meta.url))

/**
 * Bundles `contents` (imports from src/core, as an app's entry would) for the browser, minified,
 * with its dependencies inside unless named in `external`: what an app ships.
 */
export async function bundleCore(contents: string, external: string[] = []) {
  const result = await build({
    stdin: { contents, resolveDir: coreDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external,
  })
  const code = result.outputFiles[0]!.contents
  const inputs = Object.keys(result.metafile.inputs)
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    /** The packages whose files are in the bundle, by name. */
    packages: [
      ...new Set(
        inputs.flatMap((path) => path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? []),
      ),
    ].sort(),
  }
}

/** The two apps above, side by side: what moving from axios to fetch saves. */
export async function run(): Promise<void> {
  const axiosApp = await bundleCore(AXIOS_APP)
  const fetchApp = await bundleCore(FETCH_APP)
  const row = (what: string, app: typeof axiosApp) => ({
    app: what,
    'min bytes': app.min,
    'min+gzip bytes': app.gzip,
    'ratio to axios': Math.round((app.gzip / axiosApp.gzip) * 100) / 100,
    packages: app.packages.join(', '),
  })
  console.log(
    '\nAn app on the engine, bundled by esbuild with its dependencies (browser, minified, gzip -9)',
  )
  console.table([
    row('createAuthSession + axios + attachAuthInterceptor (baseline)', axiosApp),
    row('createAuthSession + createAuthFetch', fetchApp),
  ])
}
