import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { RefreshRejectedError, isAuthKitError } from '../../../src/core'

describe('isAuthKitError', () => {
  it("recognises the kit's errors, also from another realm (the extension's), by name and code", () => {
    const foreign = runInNewContext(
      `Object.assign(new Error('Refresh was rejected'), { name: 'RefreshRejectedError', code: 'REFRESH_REJECTED' })`,
    ) as unknown

    expect(foreign instanceof Error).toBe(false)
    expect(isAuthKitError(foreign)).toBe(true)
    expect(isAuthKitError(new RefreshRejectedError('Refresh was rejected'))).toBe(true)
  })

  it('answers false for anything else, without throwing', () => {
    const axiosLike = Object.assign(new Error('Network Error'), {
      name: 'AxiosError',
      code: 'ERR_NETWORK',
    })
    const nameOnly = Object.assign(new Error('x'), { name: 'RefreshRejectedError' })

    for (const value of [axiosLike, nameOnly, null, undefined, 'RefreshRejectedError', 401]) {
      expect(isAuthKitError(value)).toBe(false)
    }
  })
})
