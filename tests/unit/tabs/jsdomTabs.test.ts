// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest'
import { createAuthSession, createLocalStorage, createMemoryStorage } from '../../../src/core'
import { tokenFor } from '../core/support/jwt'
import { countingIndexedDb } from './support/fakes'

describe('tab sync in a DOM the kit did not write for', () => {
  it('signs in the other tab of a window that says jsdom: no test knowledge decides', async () => {
    expect(navigator.userAgent).toMatch(/jsdom/)
    const key = `jsdom-tabs-${Math.random().toString(36).slice(2)}`
    const first = createAuthSession({ storageKey: key, storage: createMemoryStorage() })
    const second = createAuthSession({ storageKey: key, storage: createMemoryStorage() })
    try {
      first.setTokens({ accessToken: tokenFor(Date.now(), 300), refreshToken: 'r-1' })

      await vi.waitFor(() => expect(second.getState().status).toBe('authenticated'))
      expect(second.getState().accessToken).toBe(first.getState().accessToken)
    } finally {
      first.destroy()
      second.destroy()
    }
  })

  it('closes the BroadcastChannel it opened when destroyed, so a page that makes sessions leaks none', () => {
    const close = vi.spyOn(BroadcastChannel.prototype, 'close')
    try {
      const session = createAuthSession({
        storageKey: `jsdom-close-${Math.random().toString(36).slice(2)}`,
        storage: createMemoryStorage(),
      })
      expect(close).not.toHaveBeenCalled()
      session.destroy()
      expect(close).toHaveBeenCalledTimes(1)
    } finally {
      close.mockRestore()
    }
  })

  it('closes the IndexedDB connection its tab sync opened when destroyed', async () => {
    const { indexedDB, connections } = countingIndexedDb()
    vi.stubGlobal('indexedDB', indexedDB)
    try {
      const session = createAuthSession({
        storageKey: `jsdom-idb-${Math.random().toString(36).slice(2)}`,
        storage: createLocalStorage(),
      })
      // A sign-in with shared storage commits the record to the tabs' store, which opens it.
      session.setTokens({ accessToken: tokenFor(Date.now(), 300), refreshToken: 'r-1' })
      await vi.waitFor(() => expect(connections).toHaveLength(1))
      const close = vi.spyOn(connections[0]!, 'close')

      session.destroy()

      await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1))
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
