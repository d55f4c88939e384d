import { describe, expect, it } from 'vitest'
import { COMPILE_TIMEOUT_MS, compileDocSnippets } from './support/compileDocSnippets'

describe("README.md's 30-second integration", () => {
  it(
    'compiles, strictly, against the package entries it imports',
    async () => {
      const { blocks, errors } = await compileDocSnippets('README.md')
      expect(blocks).toBeGreaterThanOrEqual(1)
      expect(errors).toEqual([])
    },
    // CPU work (a type-check of the kit), not a wait that could hide a race.
    COMPILE_TIMEOUT_MS,
  )
})
