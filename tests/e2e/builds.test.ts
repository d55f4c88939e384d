import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildApp as buildInto } from './support/buildApp'

// The app's production build, three ways, read back from disk: the default build on the mocks,
// and builds for a backend (`VITE_API_URL` a URL, or '/' for one on the page's own origin).
// Here rather than in the unit suite: three builds take half a minute.

/** Text that only the mock tooling puts into a bundle; each must be found in the mock build. */
const MARKERS: Array<[what: string, text: string]> = [
  ['the MSW worker registration', 'mockServiceWorker'],
  ['the mocks’ token signing (jose)', 'HS256'],
  ['the mock control API client', '/__mock/'],
  ['the devtools bridge', 'DevtoolsCommandError'],
  ['the tester toolbar', 'Tester toolbar'],
  ['the demo accounts', 'admin123'],
  ['the demo accounts', 'viewer123'],
]

interface BuiltFile {
  name: string
  text: string
}

async function buildApp(apiURL: string | undefined): Promise<BuiltFile[]> {
  const outDir = await mkdtemp(join(tmpdir(), 'trk-build-'))
  await buildInto(outDir, { VITE_API_URL: apiURL }, { sourcemap: true })
  const names = (await readdir(outDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
  const files = await Promise.all(
    names.map(async (path) => ({
      name: path
        .slice(outDir.length + 1)
        .split('\\')
        .join('/'),
      text: await readFile(path, 'utf8'),
    })),
  )
  await rm(outDir, { recursive: true, force: true })
  return files
}

/** The files a browser runs or renders (source maps apart). */
const served = (files: BuiltFile[]) => files.filter((file) => !file.name.endsWith('.map'))

/** The source modules a build's source maps list: the modules that went into its chunks. */
const sourcesOf = (files: BuiltFile[]) =>
  files
    .filter((file) => file.name.endsWith('.map'))
    .flatMap((file) => (JSON.parse(file.text) as { sources: string[] }).sources)

/** `[what, file]` for every marker found in a served file. */
function markersIn(files: BuiltFile[]): string[] {
  return MARKERS.flatMap(([what, text]) =>
    served(files)
      .filter((file) => file.text.includes(text))
      .map((file) => `${what} (“${text}”) in ${file.name}`),
  )
}

describe('the production build', () => {
  let onMocks: BuiltFile[]
  const forBackend = new Map<string, BuiltFile[]>()

  beforeAll(async () => {
    onMocks = await buildApp(undefined)
    for (const apiURL of ['http://127.0.0.1:9999', '/'])
      forBackend.set(apiURL, await buildApp(apiURL))
  }, 180_000)

  it('on the mocks (no VITE_API_URL) carries the worker, the mocks, the bridge, the toolbar and the demo accounts', () => {
    expect(onMocks.map((file) => file.name)).toContain('mockServiceWorker.js')
    for (const [what, text] of MARKERS) {
      expect(
        served(onMocks).some((file) => file.name.endsWith('.js') && file.text.includes(text)),
        `${what}: “${text}” in a chunk`,
      ).toBe(true)
    }
    const sources = sourcesOf(onMocks)
    expect(sources.some((source) => source.includes('/mocks/'))).toBe(true)
    expect(sources.some((source) => source.endsWith('/installDevtoolsBridge.ts'))).toBe(true)
  })

  it.each(['http://127.0.0.1:9999', '/'])(
    'with VITE_API_URL=%s carries none of them, and its source maps list no mock module',
    (apiURL) => {
      const files = forBackend.get(apiURL)!
      expect(files.some((file) => file.name === 'index.html')).toBe(true)
      expect(files.map((file) => file.name)).not.toContain('mockServiceWorker.js')
      expect(markersIn(files)).toEqual([])
      expect(
        sourcesOf(files).filter(
          (source) =>
            source.includes('/mocks/') ||
            source.includes('/devtools/installDevtoolsBridge') ||
            source.endsWith('/DemoAccounts.tsx'),
        ),
      ).toEqual([])
      // Maps carry the text of the modules that remain: no demo password may be among them.
      expect(
        files
          .filter((file) => file.text.includes('admin123') || file.text.includes('viewer123'))
          .map((file) => file.name),
      ).toEqual([])
    },
  )
})
