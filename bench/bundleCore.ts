import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const exec = promisify(execFile)

/** An app that signs in and calls its API through axios and the interceptor. */
export const AXIOS_APP = `import axios from 'axios'
import { createAuthSession } from './lib/index.js'
import { attachAuthInterceptor } from './lib/axios.js'
export const session = createAuthSession()
export const api = axios.create()
attachAuthInterceptor(api, session)
`

/** The same app on fetch (ky, ofetch and TanStack Query wrap this same fetch). */
export const FETCH_APP = `import { createAuthSession, createAuthFetch } from './lib/index.js'
export const session = createAuthSession()
export const api = createAuthFetch(session)
`

/**
 * Bundles `contents`, an app's entry importing the built entries in lib/ (`npm run build:lib`),
 * for the browser, minified, with its dependencies inside unless named in `external`: what an
 * app ships. The `token-refresh-kit` the other entries import resolves to lib/index.js.
 */
export async function bundleApp(contents: string, external: string[] = []) {
  const alias: Record<string, string> = external.includes('token-refresh-kit')
    ? {}
    : { 'token-refresh-kit': './lib/index.js' }
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    tsconfigRaw: {},
    alias,
    external,
  })
  const code = result.outputFiles[0]!.contents
  const output = Object.values(result.metafile.outputs)[0]!
  // The files that put code into the bundle (the metafile's inputs list tree-shaken ones too).
  const inputs = Object.entries(output.inputs)
    .filter(([path, input]) => path !== '<stdin>' && input.bytesInOutput > 0)
    .map(([path]) => path)
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    /** The packages whose files are in the bundle, by name. */
    packages: [
      ...new Set(
        inputs.flatMap((path) => path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? []),
      ),
    ].sort(),
    /** The repository's own files in the bundle. */
    files: inputs.filter((path) => !path.includes('node_modules/')).sort(),
    /** What the bundle still imports (the externals it uses). */
    imports: output.imports.map((entry) => entry.path),
  }
}

interface SizeLimitResult {
  name: string
  size: number
  sizeLimit: number
  passed: boolean
}

/**
 * The size of each entry against its budget, as `npm test` holds them (size-limit, from
 * .size-limit.json: the one place the budgets live), and what moving an app off axios saves.
 */
export async function run(): Promise<void> {
  await exec('npm', ['run', '--silent', 'build:lib'], { cwd: ROOT })
  // size-limit exits 1 when an entry is over budget; its JSON is printed all the same.
  const sizes = await exec('npx', ['size-limit', '--json'], { cwd: ROOT }).catch(
    (error: { stdout: string }) => error,
  )
  const results = JSON.parse(sizes.stdout) as SizeLimitResult[]
  console.log('\nThe package, per entry (size-limit: esbuild, minified, gzip; peers external)')
  console.table(
    results.map((r) => ({
      entry: r.name,
      'min+gzip bytes': r.size,
      'budget bytes': r.sizeLimit,
      headroom: `${Math.round((1 - r.size / r.sizeLimit) * 1000) / 10} %`,
      within: r.passed,
    })),
  )

  const axiosApp = await bundleApp(AXIOS_APP)
  const fetchApp = await bundleApp(FETCH_APP)
  const row = (what: string, app: typeof axiosApp) => ({
    app: what,
    'min bytes': app.min,
    'min+gzip bytes': app.gzip,
    'ratio to axios': Math.round((app.gzip / axiosApp.gzip) * 100) / 100,
    packages: app.packages.join(', '),
  })
  console.log('\nAn app on the kit, bundled by esbuild with its dependencies, axios included')
  console.table([
    row('createAuthSession + axios + attachAuthInterceptor (baseline)', axiosApp),
    row('createAuthSession + createAuthFetch', fetchApp),
  ])
}
