import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const LIB = resolve(import.meta.dirname, '../../lib')

/** The packages that `lib/<entry>.d.ts` and the d.ts chunks it imports name, sorted. */
async function typePackagesOf(entry: string): Promise<string[]> {
  const packages = new Set<string>()
  const seen = new Set<string>()
  const visit = async (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const text = await readFile(file, 'utf8')
    for (const [, specifier] of text.matchAll(/\bfrom\s+["']([^"']+)["']/g)) {
      if (specifier!.startsWith('.')) {
        await visit(join(dirname(file), specifier!.replace(/\.js$/, '.d.ts')))
      } else {
        packages.add(specifier!)
      }
    }
  }
  await visit(join(LIB, `${entry}.d.ts`))
  return [...packages].sort()
}

// The bridge takes the mocks' FailRefreshStatus type: an adopter of /devtools must not need
// msw (or its types) for that, even with skipLibCheck off.
describe('the built type declarations', () => {
  it('of /devtools name no package but the engine', async () => {
    expect(await typePackagesOf('devtools')).toEqual(['token-refresh-kit'])
  })

  it('of /msw name msw, so the check above sees packages through the shared chunks', async () => {
    expect(await typePackagesOf('msw')).toContain('msw')
  })
})
