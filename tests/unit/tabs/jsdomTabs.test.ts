// @vitest-environment jsdom
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import {
  createAuthSession,
  createBroadcastSessionChannel,
  createIndexedDbStore,
  createLocalCoordinator,
  createLocalStorage,
  createMemoryStorage,
  createSessionStorage,
  createTabSync,
} from '../../../src/core'
import { tokenFor } from '../core/support/jwt'
import { settle } from '../core/support/harness'
import { createMapKeyValueStore } from '../core/support/createMapKeyValueStore'
import { countingIndexedDb, createFakeLocks } from './support/fakes'

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

  it('keeps a sessionStorage session out of IndexedDB, and puts a default (localStorage) one there for the other tabs', async () => {
    const indexedDB = new IDBFactory()
    vi.stubGlobal('indexedDB', indexedDB)
    const disk = createIndexedDbStore({ indexedDB })
    const pair = () => ({ accessToken: tokenFor(Date.now(), 300), refreshToken: 'r-1' })
    const tabOnly = createAuthSession({
      storageKey: 'jsdom-tab-only',
      storage: createSessionStorage(),
    })
    const shared = createAuthSession({ storageKey: 'jsdom-shared' })
    try {
      tabOnly.setTokens(pair())
      shared.setTokens(pair())

      await vi.waitFor(async () => expect(await disk.get('jsdom-shared')).toContain('r-1'))
      expect(await disk.get('jsdom-tab-only')).toBeNull()
    } finally {
      for (const session of [tabOnly, shared]) session.destroy()
      vi.unstubAllGlobals()
    }
  })

  it('makes one refresh call for two tabs that refresh at once, without Web Locks', async () => {
    expect((navigator as { locks?: unknown }).locks).toBeUndefined()
    const key = `jsdom-lease-${Math.random().toString(36).slice(2)}`
    let calls = 0
    const refresh = async () => {
      calls++
      await new Promise((done) => setTimeout(done, 20))
      return { accessToken: tokenFor(Date.now(), 300), refreshToken: `r-${calls + 1}` }
    }
    const [first, second] = [1, 2].map(() => createAuthSession({ storageKey: key, refresh }))
    try {
      first!.setTokens({ accessToken: tokenFor(Date.now(), 300), refreshToken: 'r-1' })
      await vi.waitFor(() => expect(second!.getState().status).toBe('authenticated'))

      const tokens = await Promise.all([first!.refresh(), second!.refresh()])

      expect(calls).toBe(1)
      expect(tokens[1]).toBe(tokens[0])
    } finally {
      first!.destroy()
      second!.destroy()
    }
  })

  it('carries the tabs’ messages on the storage event where BroadcastChannel is missing', () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    try {
      const key = `jsdom-event-${Math.random().toString(36).slice(2)}`
      const channel = createTabSync(key)?.channel
      const received: unknown[] = []
      channel?.subscribe((message) => received.push(message))

      // What another tab's post looks like here: a storage event on this window.
      const message = { type: 'logout' }
      window.dispatchEvent(
        new StorageEvent('storage', {
          key: `${key}:message`,
          newValue: JSON.stringify({ message }),
        }),
      )

      expect(received).toEqual([message])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('takes turns on Web Locks where the browser has them', async () => {
    const locks = createFakeLocks()
    vi.stubGlobal('navigator', { locks })
    try {
      const key = `jsdom-locks-${Math.random().toString(36).slice(2)}`
      const coordinator = createTabSync(key)?.coordinator
      let release = () => {}
      void locks.request(`${key}:refresh`, {}, () => new Promise<void>((done) => (release = done)))

      const ran = settle(coordinator!.runExclusive(key, async () => 'ran', { timeoutMs: 60_000 }))
      await new Promise((done) => setTimeout(done, 300))
      expect(ran.done).toBe(false)
      release()
      await vi.waitFor(() => expect(ran.value).toBe('ran'))
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('shares its tab store through localStorage where IndexedDB is missing', async () => {
    expect(globalThis.indexedDB).toBeUndefined()
    const key = `jsdom-store-${Math.random().toString(36).slice(2)}`
    const [here, there] = [createTabSync(key), createTabSync(key)]

    await here!.store.set(`${key}:note`, 'written here')

    expect(await there!.store.get(`${key}:note`)).toBe('written here')
  })

  it('still tells the other tabs when the app brings only its own coordinator', async () => {
    const key = `jsdom-own-lock-${Math.random().toString(36).slice(2)}`
    const coordinator = createLocalCoordinator()
    const [first, second] = [1, 2].map(() =>
      createAuthSession({ storageKey: key, storage: createMemoryStorage(), coordinator }),
    )
    try {
      first!.setTokens({ accessToken: tokenFor(Date.now(), 300), refreshToken: 'r-1' })

      await vi.waitFor(() => expect(second!.getState().status).toBe('authenticated'))
    } finally {
      first!.destroy()
      second!.destroy()
    }
  })

  it('opens no channel of its own, and closes no tab store, that an app that brings them owns', () => {
    const opened = vi.fn()
    const Native = BroadcastChannel
    vi.stubGlobal(
      'BroadcastChannel',
      class extends Native {
        constructor(name: string) {
          super(name)
          opened(name)
        }
      },
    )
    const close = vi.fn()
    const channel = createBroadcastSessionChannel(new Native('jsdom-app-channel'))
    try {
      const session = createAuthSession({
        storage: createMemoryStorage(),
        coordinator: createLocalCoordinator(),
        channel,
        tabStore: { ...createMapKeyValueStore(), close },
      })
      session.destroy()

      expect(opened).not.toHaveBeenCalled()
      expect(close).not.toHaveBeenCalled()
    } finally {
      channel.close?.()
      vi.unstubAllGlobals()
    }
  })

  it('closes no tab store the app passed, even when it makes the channel and lock itself', () => {
    const close = vi.fn()
    const session = createAuthSession({
      storageKey: `jsdom-app-store-${Math.random().toString(36).slice(2)}`,
      storage: createMemoryStorage(),
      tabStore: { ...createMapKeyValueStore(), close },
    })

    session.destroy()

    expect(close).not.toHaveBeenCalled()
  })
})
