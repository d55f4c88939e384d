import { describe, expect, it } from 'vitest'
import { COMPILE_TIMEOUT_MS, compileDocSnippets } from './support/compileDocSnippets'

describe('docs/backends.md', () => {
  it(
    'has code that compiles, strictly, against the kit as a developer imports it',
    async () => {
      const { blocks, errors } = await compileDocSnippets('docs/backends.md')
      expect(blocks).toBeGreaterThanOrEqual(4)
      expect(errors).toEqual([])
    },
    // CPU work (a type-check of the kit), not a wait that could hide a race.
    COMPILE_TIMEOUT_MS,
  )
})
