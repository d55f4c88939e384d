import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PACKAGE_ENTRIES } from '../../packageEntries'
import { packKit, type PackResult } from './support/packKit'
import { writeScratchApp } from './support/scratchApp'
import { sh } from './support/sh'

// npm pack of lib/ as built by `npm run build:lib` (test:package builds it before this runs),
// installed into a fresh Vite React TS app outside the repository, as another team would.
describe('the packed tarball', () => {
  let work: string
  let pack: PackResult

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'trk-pack-'))
    pack = await packKit(work)
  })

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true })
  })

  it('holds the built entries, their types, the README and the LICENSE, and nothing else', () => {
    const paths = pack.files.map((file) => file.path).sort()
    for (const entry of Object.keys(PACKAGE_ENTRIES)) {
      expect(paths).toContain(`lib/${entry}.js`)
      expect(paths).toContain(`lib/${entry}.d.ts`)
    }
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']))
    expect(
      paths.filter((path) => !/^lib\/[\w-]+\.(js|d\.ts)$/.test(path)),
      'only lib/*.js and lib/*.d.ts besides LICENSE, README.md and package.json',
    ).toEqual(['LICENSE', 'README.md', 'package.json'])
    expect(
      paths.filter((path) => /(^|\/)(tests?|bench|screenshots|src|mocks)\/|\.test\./.test(path)),
    ).toEqual([])
  })

  describe('installed into a fresh Vite React TS app', () => {
    let app: string

    beforeAll(async () => {
      app = join(work, 'app')
      await writeScratchApp(app, pack.tarball)
      await sh(app, 'npm', [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ])
    })

    it('typechecks with strict and exactOptionalPropertyTypes, the kit’s .d.ts included', async () => {
      await sh(app, join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'])
    })

    it('builds with vite, every entry resolved from the package', async () => {
      await sh(app, join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'])
      const assets = await readdir(join(app, 'dist/assets'))
      expect(assets.some((name) => name.endsWith('.js'))).toBe(true)
    })
  })
})
