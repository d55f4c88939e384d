import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../../..')

/** Code as a comparison sees it: no whitespace, no trailing commas (line length moves them). */
const shape = (code: string) => code.replace(/\s+/g, '').replace(/,([}\])])/g, '$1')

describe('docs/msw.md', () => {
  it('shows the Vitest example that docsExample.test.ts runs, with the package’s imports', async () => {
    const doc = await readFile(resolve(ROOT, 'docs/msw.md'), 'utf8')
    const shown = /```ts\n([\s\S]*?)```/.exec(doc)?.[1] ?? ''
    const run = (await readFile(resolve(import.meta.dirname, 'docsExample.test.ts'), 'utf8'))
      .replace(/^\/\/.*\n/, '')
      .replace("'../../../src/core'", "'token-refresh-kit'")
      .replace("'../../../mocks/msw'", "'token-refresh-kit/msw'")

    expect(shape(shown)).toBe(shape(run))
  })
})
