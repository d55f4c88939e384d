import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import {
  createAuthSession,
  createBroadcastSessionChannel,
  createIndexedDbStore,
  createLocalStorage,
  createWebLockCoordinator,
  type AuthSession,
  type KeyValueStore,
} from '../../../src/core'
import { API, createAuthServer, mswServer } from '../core/support/authServer'
import { createMapKeyValueStore } from '../core/support/createMapKeyValueStore'
import { advance, flush, installFakeClock, setupTestServer } from '../core/support/harness'
import { createFakeBroadcastHub, createFakeLocks, createLaggingDisk } from './support/fakes'

setupTestServer()

const KEY = 'token-refresh-kit'
const ROUNDS = 10

/**
 * Three tabs whose localStorage reaches the others 50 ms late and whose messages arrive a task
 * late, as in Chromium under load: the next lock holder reads before either has arrived. Each
 * round, every tab calls `refresh()` at once.
 */
async function raceThreeTabs(tabStore: () => KeyValueStore | null) {
  installFakeClock()
  const server = createAuthServer()
  mswServer.use(...server.handlers)
  const disk = createLaggingDisk(50)
  const locks = createFakeLocks()
  const hub = createFakeBroadcastHub()
  const channels = [1, 2, 3].map(() => new hub.FakeChannel(KEY))
  const tabs: AuthSession[] = channels.map((channel) =>
    createAuthSession({
      baseURL: API,
      storage: disk.view(),
      coordinator: createWebLockCoordinator(locks),
      channel: createBroadcastSessionChannel(channel),
      tabStore: tabStore(),
      revoke: async () => undefined,
    }),
  )
  tabs[0]!.setTokens(server.login())
  await advance(1_000, 100)
  expect(tabs.map((tab) => tab.getState().status)).toEqual(Array(3).fill('authenticated'))

  let network = 0
  tabs.forEach((tab) =>
    tab.onEvent((event) => {
      if (event.type === 'refreshed' && event.source === 'network') network++
    }),
  )
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.allSettled(tabs.map((tab) => tab.refresh()))
    await flush()
    await advance(200, 100)
  }
  channels.forEach((channel) => channel.close())
  return { counters: server.state.counters, network, tabs }
}

describe('the refresh lock with a tab store', () => {
  it('never spends a rotated refresh token when storage reaches the next holder late', async () => {
    const factory = new IDBFactory()
    const { counters, network, tabs } = await raceThreeTabs(() =>
      createIndexedDbStore({ indexedDB: factory }),
    )

    expect({ reuse: counters.reuse, rejected: counters.rejected }).toEqual({
      reuse: 0,
      rejected: 0,
    })
    expect(counters.refreshes).toBe(ROUNDS)
    expect(network).toBe(ROUNDS)
    expect(tabs.map((tab) => tab.getState().status)).toEqual(Array(3).fill('authenticated'))
  })

  it('spends rotated refresh tokens without one (the control for the test above)', async () => {
    const { counters, tabs } = await raceThreeTabs(() => null)

    expect(counters.reuse).toBeGreaterThan(0)
    expect(tabs.some((tab) => tab.getState().status === 'ended')).toBe(true)
  })

  it('keeps a tab whose localStorage takes no writes (its quota full) from spending a token another tab rotated', async () => {
    installFakeClock()
    const server = createAuthServer()
    mswServer.use(...server.handlers)
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      },
      removeItem: () => undefined,
    } as unknown as Storage
    const shared = createMapKeyValueStore()
    const locks = createFakeLocks()
    const open = () =>
      createAuthSession({
        baseURL: API,
        storage: createLocalStorage(full),
        coordinator: createWebLockCoordinator(locks, shared),
        channel: null,
        tabStore: shared,
        revoke: async () => undefined,
      })
    const [first, second] = [open(), open()]
    const pair = server.login()
    first.setTokens(pair)
    second.setTokens(pair)
    await advance(100, 100)

    const rotated = await first.refresh()
    // The second tab heard nothing (no channel) and its storage holds nothing: what the first
    // committed in the tab store is all it can learn from.
    const taken = await second.refresh()

    expect(taken).toBe(rotated)
    expect(server.state.counters).toMatchObject({ refreshes: 1, reuse: 0, rejected: 0 })
    expect(second.getState().status).toBe('authenticated')
    for (const tab of [first, second]) tab.destroy()
  })
})
