import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTabSync } from '../../../src/core'

afterEach(() => vi.unstubAllGlobals())

describe('createTabSync', () => {
  it('makes nothing where there is a window but no document (Deno, some workers)', () => {
    vi.stubGlobal('window', {})
    expect(createTabSync('token-refresh-kit')).toBeNull()
  })
})
