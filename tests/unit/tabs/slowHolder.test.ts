import { describe, expect, it } from 'vitest'
import {
  createAuthSession,
  createBroadcastSessionChannel,
  createMemoryStorage,
  createWebLockCoordinator,
  type KeyValueStore,
} from '../../../src/core'
import { API, createAuthServer, mswServer } from '../core/support/authServer'
import { advance, installFakeClock, settle, setupTestServer } from '../core/support/harness'
import { createFakeBroadcastHub, createFakeLocks } from './support/fakes'

setupTestServer()

const KEY = 'token-refresh-kit'

/** What IndexedDB gives the tabs: one store whose writes every tab reads at once. */
function createSharedStore(): KeyValueStore {
  const items = new Map<string, string>()
  return {
    get: async (key) => items.get(key) ?? null,
    set: async (key, value) => void items.set(key, value),
    remove: async (key) => void items.delete(key),
    update: async (key, next) => {
      const written = next(items.get(key) ?? null)
      if (written === null) items.delete(key)
      else items.set(key, written)
      return written
    },
  }
}

describe('a slow refresh in one tab', () => {
  it('keeps the other tabs waiting past their lock timeout while its call may still be answered: one refresh, no reuse', async () => {
    installFakeClock()
    const server = createAuthServer()
    mswServer.use(...server.handlers)
    const disk = createMemoryStorage()
    const shared = createSharedStore()
    const locks = createFakeLocks()
    const hub = createFakeBroadcastHub()
    const tabs = [0, 1].map(() =>
      createAuthSession({
        baseURL: API,
        storage: disk,
        tabStore: shared,
        coordinator: createWebLockCoordinator(locks, shared),
        channel: createBroadcastSessionChannel(new hub.FakeChannel(KEY)),
        revoke: async () => undefined,
      }),
    )
    const [slow, other] = tabs as [(typeof tabs)[0], (typeof tabs)[0]]
    slow.setTokens(server.login())
    await advance(100, 100)
    expect(other.getState().status).toBe('authenticated')

    // 25 s: past the other tab's lock wait (15 s), well within the call's 60 s.
    server.failNextRefresh({ slowMs: 25_000 })
    void slow.refresh().catch(() => undefined)
    await advance(1_000)
    const waiting = settle(other.getAccessToken({ rejectedToken: other.getState().accessToken! }))
    await advance(20_000)
    expect(server.state.counters.refreshes).toBe(1)
    expect(waiting.done).toBe(false)

    await advance(5_000)
    expect(waiting.value).toBe(slow.getState().accessToken)
    expect(server.state.counters).toMatchObject({ refreshes: 1, refreshesOk: 1, reuse: 0 })
    for (const tab of tabs) {
      expect(tab.getState().status).toBe('authenticated')
      tab.destroy()
    }
  })
})
