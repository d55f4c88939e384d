import { describe, expect, it, vi } from 'vitest'
import {
  createAuthSession,
  createBroadcastSessionChannel,
  createLeaseCoordinator,
  createMemoryStorage,
  createWebLockCoordinator,
  type AuthEvent,
  type AuthSession,
  type RefreshCoordinator,
  type TokenStorage,
} from '../../../src/core'
import { API, createAuthServer, mswServer } from '../core/support/authServer'
import { advance, flush, installFakeClock, setupTestServer } from '../core/support/harness'
import { createFakeBroadcastHub, createFakeLocks } from './support/fakes'

setupTestServer()

const KEY = 'token-refresh-kit'

interface Tab {
  session: AuthSession
  channel: InstanceType<ReturnType<typeof createFakeBroadcastHub>['FakeChannel']>
  events: AuthEvent[]
}

/** A browser of tabs sharing an origin: one "localStorage", one lock manager, one channel hub. */
function createBrowser(options: { ttlSeconds?: number; coordinated?: boolean } = {}) {
  const server = createAuthServer({ ttlSeconds: options.ttlSeconds })
  mswServer.use(...server.handlers)
  const disk = createMemoryStorage()
  const locks = createFakeLocks()
  const hub = createFakeBroadcastHub()
  const tabs: Tab[] = []
  const uncoordinated: RefreshCoordinator = { runExclusive: (_name, fn) => fn() }

  function openTab(
    tabOptions: { storage?: TokenStorage; coordinator?: RefreshCoordinator } = {},
  ): Tab {
    const channel = new hub.FakeChannel(KEY)
    const coordinated = options.coordinated !== false
    const session = createAuthSession({
      baseURL: API,
      storage: tabOptions.storage ?? disk,
      coordinator:
        tabOptions.coordinator ?? (coordinated ? createWebLockCoordinator(locks) : uncoordinated),
      channel: coordinated ? createBroadcastSessionChannel(channel) : null,
      revoke: async () => undefined,
    })
    const events: AuthEvent[] = []
    session.onEvent((event) => events.push(event))
    const tab = { session, channel, events }
    tabs.push(tab)
    return tab
  }
  const close = () => {
    tabs.forEach((tab) => {
      tab.session.stop()
      tab.channel.close()
    })
  }
  return { server, disk, locks, hub, openTab, tabs, close }
}

describe('tabs of one origin', () => {
  it('make one refresh request when five race for it, and all adopt its result', async () => {
    installFakeClock()
    const browser = createBrowser()
    const first = browser.openTab()
    first.session.setTokens(browser.server.login())
    const others = [1, 2, 3, 4].map(() => browser.openTab())
    vi.advanceTimersByTime(250_000)

    const tokens = await Promise.all(browser.tabs.map((tab) => tab.session.refresh('scheduled')))
    await flush()

    expect(browser.server.state.counters.refreshes).toBe(1)
    expect(browser.server.state.counters.reuse).toBe(0)
    expect(new Set(tokens).size).toBe(1)
    for (const tab of [first, ...others]) {
      expect(tab.session.getState()).toMatchObject({
        status: 'authenticated',
        accessToken: tokens[0],
      })
    }
    const sources = browser.tabs.flatMap((tab) =>
      tab.events.flatMap((event) => (event.type === 'refreshed' ? [event.source] : [])),
    )
    expect(sources.sort()).toEqual(['network', 'other-tab', 'other-tab', 'other-tab', 'other-tab'])
    browser.close()
  })

  it('trip reuse detection without coordination (the control for the test above)', async () => {
    installFakeClock()
    const browser = createBrowser({ coordinated: false })
    browser.openTab().session.setTokens(browser.server.login())
    ;[1, 2, 3, 4].forEach(() => browser.openTab())
    vi.advanceTimersByTime(250_000)

    await Promise.allSettled(browser.tabs.map((tab) => tab.session.refresh('scheduled')))

    expect(browser.server.state.counters.refreshes).toBe(5)
    expect(browser.server.state.counters.reuse).toBe(4)
    // The reuse revoked the family: the next refresh signs the user out.
    await browser.tabs[0]?.session.refresh().catch(() => undefined)
    expect(browser.tabs[0]?.session.getState().endReason).toBe('refresh-rejected')
    browser.close()
  })

  it('keep refreshing once per token for minutes, five tabs with 10 s tokens and their schedulers on', async () => {
    installFakeClock()
    const browser = createBrowser({ ttlSeconds: 10 })
    browser.openTab().session.setTokens(browser.server.login())
    ;[1, 2, 3, 4].forEach(() => browser.openTab())
    browser.tabs.forEach((tab) => tab.session.start())

    await advance(120_000, 250)

    const { refreshes, reuse, rejected, unauthorized } = browser.server.state.counters
    expect({ reuse, rejected, unauthorized }).toEqual({ reuse: 0, rejected: 0, unauthorized: 0 })
    // A 10 s token is refreshed in the last third of its life: one refresh every 6.3-8.3 s.
    expect(refreshes).toBeGreaterThanOrEqual(Math.floor(120 / 8.4))
    expect(refreshes).toBeLessThanOrEqual(Math.ceil(120 / 6.3))
    expect(browser.tabs.every((tab) => tab.session.getState().status === 'authenticated')).toBe(
      true,
    )
    browser.close()
  })

  it('go on refreshing when a frozen tab holds the lock: the wait times out', async () => {
    installFakeClock()
    const browser = createBrowser()
    const tab = browser.openTab()
    tab.session.setTokens(browser.server.login())
    void browser.locks.request(`${KEY}:refresh`, {}, () => new Promise(() => {}))

    // The caller of refresh() gives up after the refresh timeout (10 s); the refresh itself goes
    // on past the default lock wait (10 s plus 5 s) and the 2 s a holder has to note itself busy.
    void tab.session.refresh().catch(() => undefined)
    await advance(16_500)
    expect(tab.session.getState().refreshCount).toBe(0)
    expect(browser.server.state.counters.refreshes).toBe(0)
    await advance(1_000)
    expect(tab.session.getState().refreshCount).toBe(1)
    expect(browser.server.state.counters.refreshes).toBe(1)
    expect(tab.session.getState().status).toBe('authenticated')
    browser.close()
  })

  it('sign out everywhere when one signs out, without a timer tick', async () => {
    installFakeClock()
    const browser = createBrowser()
    const first = browser.openTab()
    first.session.setTokens(browser.server.login())
    const second = browser.openTab()
    const third = browser.openTab()

    await first.session.logout()
    await flush()

    for (const tab of [second, third]) {
      expect(tab.session.getState()).toMatchObject({
        status: 'ended',
        endReason: 'logout-elsewhere',
        accessToken: null,
      })
    }
    expect(browser.disk.getItem(KEY)).toBeNull()
    browser.close()
  })

  it('sign in everywhere when one signs in', async () => {
    installFakeClock()
    const browser = createBrowser()
    const first = browser.openTab()
    const second = browser.openTab()

    first.session.setTokens(browser.server.login())
    await flush()

    expect(second.session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: first.session.getState().accessToken,
    })
    expect(second.events.find((event) => event.type === 'signed-in')).toMatchObject({
      source: 'other-tab',
    })
    browser.close()
  })

  it('never echo what they received', async () => {
    installFakeClock()
    const browser = createBrowser()
    const first = browser.openTab()
    first.session.setTokens(browser.server.login())
    browser.openTab()
    browser.openTab()
    await flush()
    browser.hub.posts.length = 0

    await first.session.refresh()
    await flush()
    await first.session.logout()
    await flush()

    expect(browser.hub.posts.map((post) => [post.from === first.channel, post.type])).toEqual([
      [true, 'tokens'],
      [true, 'logout'],
    ])
    browser.close()
  })

  it('end everywhere when the server rejects one tab’s refresh', async () => {
    installFakeClock()
    const browser = createBrowser()
    const first = browser.openTab()
    first.session.setTokens(browser.server.login())
    const second = browser.openTab()
    browser.server.failNextRefresh(401)

    await first.session.refresh().catch(() => undefined)
    await flush()

    expect(second.session.getState()).toMatchObject({
      status: 'ended',
      endReason: 'ended-elsewhere',
    })
    browser.close()
  })

  it('hand a memory-held session to a new tab over the channel, writing nothing to disk', async () => {
    installFakeClock()
    const browser = createBrowser()
    const first = browser.openTab({ storage: createMemoryStorage() })
    first.session.setTokens(browser.server.login())

    const second = browser.openTab({ storage: createMemoryStorage() })
    expect(second.session.getState().status).toBe('anonymous')
    await flush()

    expect(second.session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: first.session.getState().accessToken,
      expiresAt: first.session.getState().expiresAt,
    })
    expect(browser.disk.getItem(KEY)).toBeNull()
    browser.close()
  })

  it('without Web Locks, a storage lease still makes one refresh request for five racing tabs', async () => {
    installFakeClock()
    const browser = createBrowser()
    const lease = () => createLeaseCoordinator(browser.disk)
    browser.openTab({ coordinator: lease() }).session.setTokens(browser.server.login())
    ;[1, 2, 3, 4].forEach(() => browser.openTab({ coordinator: lease() }))
    vi.advanceTimersByTime(250_000)

    const all = Promise.all(browser.tabs.map((tab) => tab.session.refresh('scheduled')))
    await advance(3_000, 10)
    const tokens = await all

    expect(browser.server.state.counters.refreshes).toBe(1)
    expect(browser.server.state.counters.reuse).toBe(0)
    expect(new Set(tokens).size).toBe(1)
    expect(browser.disk.getItem(`${KEY}:lease`)).toBeNull()
    browser.close()
  })
})

describe('createWebLockCoordinator', () => {
  it('runs one holder at a time and lets a waiter through after its timeout', async () => {
    installFakeClock()
    const locks = createFakeLocks()
    const coordinator = createWebLockCoordinator(locks)
    const order: string[] = []
    let release = () => {}
    const first = coordinator.runExclusive(
      'k',
      () => new Promise<void>((resolve) => (release = () => (order.push('first'), resolve()))),
      { timeoutMs: 5_000 },
    )
    const second = coordinator.runExclusive('k', async () => void order.push('second'), {
      timeoutMs: 5_000,
    })
    await flush()
    expect(order).toEqual([])
    release()
    await Promise.all([first, second])
    expect(order).toEqual(['first', 'second'])

    void locks.request('k:refresh', {}, () => new Promise(() => {}))
    const third = coordinator.runExclusive('k', async () => 'ran anyway', { timeoutMs: 5_000 })
    await advance(5_000)
    await expect(third).resolves.toBe('ran anyway')
  })
})
