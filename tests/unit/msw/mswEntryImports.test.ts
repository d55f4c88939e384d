import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

/** The repository files esbuild pulls in to bundle `entry`, peers left out. */
async function bundledFiles(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    external: ['msw', 'jose'],
    logLevel: 'silent',
  })
  return Object.keys(result.metafile.inputs)
}

describe('the token-refresh-kit/msw entry (mocks/msw.ts)', () => {
  it('brings only the auth mocks: no jobs, pipelines, IndexedDB storage, or src', async () => {
    const files = await bundledFiles('mocks/msw.ts')

    expect(files).toContain('mocks/auth/createAuthHandlers.ts')
    const foreign = files.filter(
      (file) =>
        !file.startsWith('mocks/') ||
        /^mocks\/(db|handlers|handlers\/.*|indexedDbStateStorage|control|model|jobStatus|dagRunStatus|jobCatalog|server|browser|node)\.ts$/.test(
          file,
        ),
    )
    expect(foreign).toEqual([])
  })

  it('sees the repo’s jobs in the mocks’ own handlers, so the check above sees what it looks for', async () => {
    const files = await bundledFiles('mocks/handlers.ts')
    expect(files).toEqual(expect.arrayContaining(['mocks/db.ts', 'mocks/handlers/jobs.ts']))
  })
})
