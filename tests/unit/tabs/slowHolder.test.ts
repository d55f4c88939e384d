import { describe, expect, it } from 'vitest'
import {
  RefreshFailedError,
  createAuthSession,
  createBroadcastSessionChannel,
  createMemoryStorage,
  createWebLockCoordinator,
  type AuthEvent,
  type KeyValueStore,
  type TokenStorage,
} from '../../../src/core'
import { API, createAuthServer, mswServer } from '../core/support/authServer'
import { advance, installFakeClock, settle, setupTestServer } from '../core/support/harness'
import { createMapKeyValueStore } from '../core/support/createMapKeyValueStore'
import { createFakeBroadcastHub, createFakeLocks } from './support/fakes'

setupTestServer()

const KEY = 'token-refresh-kit'

/**
 * A tab's session on the tabs' `tabStore` and lock (whose record lives in `lockStore`, by default
 * the tab store), with its own `storage` (memory unless given) and a channel on `hub`, or none.
 */
function openTab(options: {
  locks: ReturnType<typeof createFakeLocks>
  tabStore: KeyValueStore
  lockStore?: KeyValueStore
  hub?: ReturnType<typeof createFakeBroadcastHub>
  storage?: TokenStorage
}) {
  const { locks, tabStore, hub } = options
  return createAuthSession({
    baseURL: API,
    storage: options.storage ?? createMemoryStorage(),
    tabStore,
    coordinator: createWebLockCoordinator(locks, options.lockStore ?? tabStore),
    channel: hub ? createBroadcastSessionChannel(new hub.FakeChannel(KEY)) : null,
    revoke: async () => undefined,
  })
}

/** `shared`, whose next write of the session record after `slowNext()` takes 6 s. */
function slowToCommitOn(shared: KeyValueStore) {
  let slowCommits = 0
  const store: KeyValueStore = {
    ...shared,
    set: async (key, value) => {
      if (key === KEY && slowCommits > 0) {
        slowCommits--
        await new Promise((done) => setTimeout(done, 6_000))
      }
      return shared.set(key, value)
    },
  }
  return { store, slowNext: () => void (slowCommits = 1) }
}

/** Two tabs of one origin sharing storage, IndexedDB, locks and a channel; the first signs in. */
async function twoSignedInTabs() {
  installFakeClock()
  const server = createAuthServer()
  mswServer.use(...server.handlers)
  const disk = createMemoryStorage()
  const shared = createMapKeyValueStore()
  const locks = createFakeLocks()
  const hub = createFakeBroadcastHub()
  const open = () => openTab({ locks, tabStore: shared, hub, storage: disk })
  const tabs = [open(), open()] as const
  tabs[0].setTokens(server.login())
  await advance(100, 100)
  expect(tabs[1].getState().status).toBe('authenticated')
  return { server, tabs }
}

describe('a slow refresh in one tab', () => {
  it('keeps the other tabs waiting past their lock timeout while its call may still be answered: one refresh, no reuse', async () => {
    const { server, tabs } = await twoSignedInTabs()
    const [slow, other] = tabs

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

describe('a tab slow to commit what its refresh rotated', () => {
  it('keeps the other tabs waiting until the new record is committed, not only until the answer: no reuse', async () => {
    installFakeClock()
    const server = createAuthServer()
    mswServer.use(...server.handlers)
    const shared = createMapKeyValueStore()
    // The first tab's commit of its record takes 6 s (a tab whose CPU is throttled, rendering
    // the new session before its IndexedDB write lands); every other write is at once.
    const { store: slowToCommit, slowNext } = slowToCommitOn(shared)
    const locks = createFakeLocks()
    // Each tab its own localStorage and no channel: what a throttled tab has read so far.
    const open = (tabStore: KeyValueStore) => openTab({ locks, tabStore, lockStore: shared })
    const slow = open(slowToCommit)
    const other = open(shared)
    const pair = server.login()
    slow.setTokens(pair)
    other.setTokens(pair)
    await advance(100, 100)

    // The call takes 14 s and its commit 6 s more: the other tab's lock wait (15 s, from 1 s
    // in) ends between the answer and the commit.
    server.failNextRefresh({ slowMs: 14_000 })
    slowNext()
    void slow.refresh().catch(() => undefined)
    await advance(1_000)
    const waiting = settle(other.getAccessToken({ rejectedToken: other.getState().accessToken! }))
    await advance(25_000, 500)

    expect(server.state.counters).toMatchObject({ refreshes: 1, refreshesOk: 1, reuse: 0 })
    expect(waiting.value).toBe(slow.getState().accessToken)
    for (const tab of [slow, other]) {
      expect(tab.getState().status).toBe('authenticated')
      tab.destroy()
    }
  })
})

describe('a Retry-After one tab was given', () => {
  it('holds the other tabs too: their refresh is refused without a call to the server', async () => {
    const { server, tabs } = await twoSignedInTabs()
    const [first, second] = tabs
    server.state.retryAfter = '120'
    server.failNextRefresh(429)
    await first.refresh().catch(() => undefined)
    expect(server.state.counters.refreshes).toBe(1)

    const refused = await second.refresh().catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(RefreshFailedError)
    expect((refused as Error).message).toMatch(
      /^Refreshing is held until .* allowed in 1[12]\d(\.\d)? s\./,
    )
    // Once told, the second tab refuses at once, as the first does.
    await expect(second.refresh()).rejects.toThrow(/^Refreshing is held until/)
    expect(server.state.counters.refreshes).toBe(1)

    await advance(121_000, 1_000)
    await second.refresh()
    expect(server.state.counters.refreshes).toBeGreaterThanOrEqual(2)
    expect(server.state.counters.reuse).toBe(0)
    for (const tab of tabs) tab.destroy()
  })

  it('holds a tab that was already waiting for the lock: the hold is noted before the lock is released', async () => {
    installFakeClock()
    const server = createAuthServer()
    mswServer.use(...server.handlers)
    const shared = createMapKeyValueStore()
    // Writing the hold takes 2 s (IndexedDB on a loaded machine); everything else is at once.
    const slowHold: KeyValueStore = {
      ...shared,
      set: async (key, value) => {
        if (key.endsWith(':refresh-held-until'))
          await new Promise((done) => setTimeout(done, 2_000))
        return shared.set(key, value)
      },
    }
    const locks = createFakeLocks()
    const open = () => openTab({ locks, tabStore: slowHold })
    const [first, second] = [open(), open()]
    const pair = server.login()
    first.setTokens(pair)
    second.setTokens(pair)
    await advance(100, 100)

    server.state.retryAfter = '120'
    server.failNextRefresh(429)
    // The second tab asks while the first holds the lock, and waits behind it.
    const answers = [first.refresh(), second.refresh()].map((p) => p.catch((e: unknown) => e))
    await advance(5_000, 100)
    const [a, b] = await Promise.all(answers)
    expect(server.state.counters.refreshes).toBe(1)
    expect(a).toBeInstanceOf(RefreshFailedError)
    expect((b as Error).message).toMatch(/^Refreshing is held until/)
    for (const tab of [first, second]) tab.destroy()
  })
})

describe('a tab that took the new token from the holder’s message while it waited for the lock', () => {
  it('counts that refresh once when the lock comes: one refreshed event, refreshCount 1, no call of its own', async () => {
    installFakeClock()
    const server = createAuthServer()
    mswServer.use(...server.handlers)
    const shared = createMapKeyValueStore()
    // The first tab commits its refreshed record 6 s late: its message reaches the other tab
    // while the other still waits for the lock.
    const { store: slowToCommit, slowNext } = slowToCommitOn(shared)
    const locks = createFakeLocks()
    const hub = createFakeBroadcastHub()
    const open = (tabStore: KeyValueStore) => openTab({ locks, tabStore, lockStore: shared, hub })
    const slow = open(slowToCommit)
    const other = open(shared)
    slow.setTokens(server.login())
    await advance(100, 100)
    const events: AuthEvent[] = []
    other.onEvent((event) => events.push(event))

    slowNext()
    const first = settle(slow.refresh())
    const second = settle(other.refresh())
    await advance(1_000, 100)
    expect(other.getState().accessToken).toBe(slow.getState().accessToken)
    expect(second.done).toBe(false)
    await advance(7_000, 500)

    expect(first.value).toBe(slow.getState().accessToken)
    expect(second.value).toBe(slow.getState().accessToken)
    expect(server.state.counters).toMatchObject({ refreshes: 1, reuse: 0 })
    expect(events.filter((event) => event.type === 'refreshed')).toHaveLength(1)
    expect(other.getState().refreshCount).toBe(1)
    for (const tab of [slow, other]) tab.destroy()
  })
})

describe('a tab slow to read the tab store once it has the lock', () => {
  it('keeps the tabs queued behind it waiting from the moment it has the lock, before its call: no reuse', async () => {
    installFakeClock()
    const server = createAuthServer()
    mswServer.use(...server.handlers)
    const shared = createMapKeyValueStore()
    const delayed = (op: 'get' | 'set', slowKey: string, ms: number) => {
      let times = 0
      const store: KeyValueStore = {
        ...shared,
        [op]: async (key: string, value: string) => {
          if (key === slowKey && times > 0) {
            times--
            await new Promise((done) => setTimeout(done, ms))
          }
          return op === 'get' ? shared.get(key) : shared.set(key, value)
        },
      }
      return { store, once: () => (times = 1) }
    }
    // The first tab commits 6 s late, so the other two queue behind it holding its token; the
    // second, once it has the lock and has read the record, takes 15 s to read the Retry-After
    // note (IndexedDB on a loaded machine) before its call.
    const slowCommit = delayed('set', KEY, 6_000)
    const slowRead = delayed('get', `${KEY}:refresh-held-until`, 15_000)
    const locks = createFakeLocks()
    const hub = createFakeBroadcastHub()
    const open = (tabStore: KeyValueStore) => openTab({ locks, tabStore, lockStore: shared, hub })
    const tabs = [open(slowCommit.store), open(slowRead.store), open(shared)] as const
    const [first, second, third] = tabs
    first.setTokens(server.login())
    await advance(100, 100)

    slowCommit.once()
    slowRead.once()
    void first.refresh().catch(() => undefined)
    await advance(1_000, 100)
    expect(second.getState().accessToken).toBe(first.getState().accessToken)
    void second.refresh().catch(() => undefined)
    await advance(1_000, 100)
    void third.refresh().catch(() => undefined)
    // The third tab's lock wait (15 s, from 2 s in) ends while the second still reads: the
    // second's note, from when it took the lock at 6 s, keeps the third waiting.
    await advance(30_000, 500)

    expect(server.state.counters).toMatchObject({ refreshes: 2, refreshesOk: 2, reuse: 0 })
    for (const tab of tabs) {
      expect(tab.getState()).toMatchObject({
        status: 'authenticated',
        accessToken: second.getState().accessToken,
      })
      tab.destroy()
    }
  })
})
