import { describe, expect, it } from 'vitest'
import {
  createAuthSession,
  createBroadcastSessionChannel,
  createMemoryStorage,
  createWebLockCoordinator,
  type AuthSession,
} from '../../../src/core'
import { API, createAuthServer, mswServer } from '../core/support/authServer'
import { advance, flush, installFakeClock, setupTestServer } from '../core/support/harness'
import { createMapKeyValueStore } from '../core/support/createMapKeyValueStore'
import { createFakeBroadcastHub, createFakeLocks } from './support/fakes'

setupTestServer()

const KEY = 'token-refresh-kit'
const holdForever = () => new Promise<never>(() => {})

describe('createWebLockCoordinator with a frozen lock holder', () => {
  it('lets the tabs that time out behind it take turns instead of running together', async () => {
    installFakeClock()
    const locks = createFakeLocks()
    const disk = createMemoryStorage()
    const tabs = [1, 2, 3].map(() => createWebLockCoordinator(locks, disk))
    void locks.request(`${KEY}:refresh`, {}, holdForever)
    let running = 0
    let most = 0
    const work = async () => {
      running++
      most = Math.max(most, running)
      await new Promise((resolve) => setTimeout(resolve, 100))
      running--
      return 'done'
    }

    const results = tabs.map((tab) => tab.runExclusive(KEY, work, { timeoutMs: 5_000 }))
    await advance(6_000, 50)

    await expect(Promise.all(results)).resolves.toEqual(['done', 'done', 'done'])
    expect(most).toBe(1)
  })

  it('does not make later callers wait out the frozen holder again', async () => {
    installFakeClock()
    const locks = createFakeLocks()
    const disk = createMemoryStorage()
    const [first, later] = [1, 2].map(() => createWebLockCoordinator(locks, disk))
    void locks.request(`${KEY}:refresh`, {}, holdForever)
    const waited = first!.runExclusive(KEY, async () => 'first', { timeoutMs: 5_000 })
    await advance(5_000)
    await expect(waited).resolves.toBe('first')

    let ran = false
    void later!.runExclusive(KEY, async () => (ran = true), { timeoutMs: 5_000 })
    await flush()
    expect(ran).toBe(true)
  })
})

describe('tabs of one origin with a frozen lock holder', () => {
  it('keep refreshing, never twice with one token, five tabs with 10 s tokens', async () => {
    installFakeClock()
    const server = createAuthServer({ ttlSeconds: 10 })
    mswServer.use(...server.handlers)
    const disk = createMemoryStorage()
    const locks = createFakeLocks()
    const hub = createFakeBroadcastHub()
    const channels: InstanceType<typeof hub.FakeChannel>[] = []
    const tabs: AuthSession[] = [1, 2, 3, 4, 5].map(() => {
      const channel = new hub.FakeChannel(KEY)
      channels.push(channel)
      return createAuthSession({
        baseURL: API,
        storage: disk,
        coordinator: createWebLockCoordinator(locks, disk),
        channel: createBroadcastSessionChannel(channel),
        revoke: async () => undefined,
      })
    })
    tabs[0]!.setTokens(server.login())
    await flush()
    void locks.request(`${KEY}:refresh`, {}, holdForever)
    tabs.forEach((tab) => tab.start())

    await advance(60_000, 250)

    const { refreshes, reuse, rejected } = server.state.counters
    expect({ reuse, rejected }).toEqual({ reuse: 0, rejected: 0 })
    expect(refreshes).toBeGreaterThanOrEqual(6)
    expect(tabs.map((tab) => tab.getState().status)).toEqual(Array(5).fill('authenticated'))
    tabs.forEach((tab) => tab.stop())
    channels.forEach((channel) => channel.close())
  })
})

describe('a refresh that finished', () => {
  it('leaves no busy note behind: the next refresh overtakes a frozen holder after its lock wait, not a minute later', async () => {
    installFakeClock()
    const server = createAuthServer()
    mswServer.use(...server.handlers)
    const shared = createMapKeyValueStore()
    const locks = createFakeLocks()
    const session = createAuthSession({
      baseURL: API,
      storage: createMemoryStorage(),
      tabStore: shared,
      coordinator: createWebLockCoordinator(locks, shared),
      channel: null,
      revoke: async () => undefined,
    })
    session.setTokens(server.login())
    await session.refresh()
    expect(server.state.counters.refreshes).toBe(1)

    // Another tab takes the lock and freezes: the wait (15 s) and the grace for a note (2 s) pass.
    void locks.request(`${KEY}:refresh`, {}, holdForever)
    void session.refresh().catch(() => undefined)
    await advance(16_000)
    expect(server.state.counters.refreshes).toBe(1)
    await advance(3_000)
    expect(server.state.counters).toMatchObject({ refreshes: 2, reuse: 0 })
    expect(session.getState().status).toBe('authenticated')
    session.destroy()
  })
})
