import { describe, expect, it, vi } from 'vitest'
import {
  createAuthSession,
  createMemoryStorage,
  focusManager,
  onlineManager,
  type AuthEvent,
  type RefreshFn,
} from '../../../src/core'
import { advance, createHarness, flush, installFakeClock, setupTestServer } from './support/harness'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'
import { tokenFor } from './support/jwt'

setupTestServer()

/** How long each refreshed token still had to live when its refresh started. */
function remainingAtRefresh(events: AuthEvent[], firstExpiresAt: number) {
  let expiresAt = firstExpiresAt
  const remaining: number[] = []
  for (const event of events) {
    if (event.type === 'refresh-started') remaining.push(expiresAt - event.at)
    if (event.type === 'refreshed') expiresAt = event.expiresAt
  }
  return remaining
}

describe('proactive refresh', () => {
  it('refreshes a 300 s token once, with 30-60 s left', async () => {
    installFakeClock()
    const { server, session, events } = createHarness()
    const expiresAt = session.getState().expiresAt ?? 0
    session.start()

    await advance(299_000)

    expect(server.state.counters.refreshes).toBe(1)
    const [left] = remainingAtRefresh(events, expiresAt)
    expect(left).toBeGreaterThanOrEqual(30_000)
    expect(left).toBeLessThanOrEqual(60_000)
  })

  it('refreshes a 6 s token once per lifetime, in the last third of its life', async () => {
    installFakeClock()
    const { server, session, events } = createHarness({ ttlSeconds: 6 })
    const expiresAt = session.getState().expiresAt ?? 0
    session.start()

    await advance(120_000, 100)

    const left = remainingAtRefresh(events, expiresAt)
    expect(left.length).toBeGreaterThanOrEqual(Math.floor(120 / 4.5))
    // Not mistaken for a refresh loop: 15 a minute is what 6 s tokens need.
    expect(events.filter((event) => event.type === 'refresh-failed')).toEqual([])
    expect(server.state.counters.refreshes).toBe(left.length)
    for (const ms of left) {
      expect(ms).toBeGreaterThan(0)
      expect(ms).toBeLessThanOrEqual(2_000)
    }
    expect(server.state.counters.unauthorized).toBe(0)
  })

  it('ticks at least every margin/2 when tickSeconds is longer, so a 300 s token is refreshed in time', async () => {
    installFakeClock()
    const { server, session, events } = createHarness({ session: { tickSeconds: 200 } })
    const expiresAt = session.getState().expiresAt ?? 0
    vi.advanceTimersByTime(70_000)
    session.start()

    await advance(229_000)

    expect(server.state.counters.refreshes).toBe(1)
    const [left] = remainingAtRefresh(events, expiresAt)
    expect(left).toBeGreaterThanOrEqual(30_000)
    expect(left).toBeLessThanOrEqual(60_000)
  })

  it('reports a token that expires while its refresh fails, once, when it expires', async () => {
    installFakeClock()
    const { server, session, events } = createHarness()
    server.failNextRefresh(...Array.from({ length: 20 }, () => 503 as const))
    const expiresAt = session.getState().expiresAt ?? 0
    session.start()

    await advance(600_000, 1_000)

    const expired = events.filter((event) => event.type === 'expired')
    expect(expired).toEqual([expect.objectContaining({ forced: false })])
    expect(expired[0]?.at).toBeGreaterThanOrEqual(expiresAt)
    expect(expired[0]?.at).toBeLessThanOrEqual(expiresAt + 30_000)
    expect(session.getState().status).toBe('authenticated')
  })

  it.each([
    ['becomes visible', () => (focusManager.setVisible(false), focusManager.setVisible(true))],
    ['regains focus', () => focusManager.onFocus()],
    ['comes back online', () => (onlineManager.setOnline(false), onlineManager.setOnline(true))],
  ])(
    'refreshes when the tab %s after its token expired, before its next request',
    async (_name, wake) => {
      installFakeClock()
      const { server, session, client } = createHarness()
      const stale = session.getState().accessToken
      session.start()
      // A laptop asleep: the clock jumps and no timer has run.
      vi.setSystemTime(Date.now() + 600_000)

      wake()
      await flush()
      expect(server.state.log).toEqual(['refresh'])

      await client.get('/api/v1/data')
      expect(server.state.log).toEqual(['refresh', '/api/v1/data'])
      expect(server.state.sent[0]?.token).not.toBe(stale)
      expect(server.state.counters.unauthorized).toBe(0)
    },
  )

  it('keeps the ticks quiet while the breaker is open, and refreshes at the first tick after it', async () => {
    installFakeClock()
    // 30 s tokens: due 10 s before expiry, checked every 5 s; the breaker allows 10 a minute.
    const { server, session, events } = createHarness({ ttlSeconds: 30 })
    for (let i = 0; i < 10; i++) await session.refresh()
    const seen = events.length
    session.start()

    // Due at 20 s, expired at 30 s, the breaker open until 60 s: no call, and no failure a tick.
    await advance(55_000, 1_000)
    expect(server.state.counters.refreshes).toBe(10)
    expect(events.slice(seen).map((event) => event.type)).toEqual(['expired'])

    await advance(10_000, 1_000)
    expect(server.state.counters.refreshes).toBe(11)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('checks at start, and stops checking after stop()', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    vi.setSystemTime(Date.now() + 280_000)
    session.start()
    await flush()
    expect(server.state.counters.refreshes).toBe(1)
    session.stop()
    await advance(600_000, 5_000)
    expect(server.state.counters.refreshes).toBe(1)
  })

  it('reports an expired token once, and forceExpire makes the next request wait for a refresh', async () => {
    installFakeClock()
    const { server, session, client, events } = createHarness()
    const stale = session.getState().accessToken
    createDevtoolsHandle(session).forceExpire()
    expect(events.at(-1)).toMatchObject({ type: 'expired', forced: true })
    await client.get('/api/v1/data')
    expect(server.state.log).toEqual(['refresh', '/api/v1/data'])
    expect(server.state.sent[0]?.token).not.toBe(stale)
  })

  it('invalidateAccessToken keeps the expiry and makes the server answer 401, which the interceptor heals', async () => {
    installFakeClock()
    const { server, session, client, events } = createHarness()
    const { expiresAt, accessToken } = session.getState()
    createDevtoolsHandle(session).invalidateAccessToken()
    expect(session.getState().expiresAt).toBe(expiresAt)
    expect(session.getState().accessToken).not.toBe(accessToken)
    expect(events.at(-1)?.type).toBe('invalidated')

    const response = await client.get('/api/v1/data?secret=1')
    expect(response.status).toBe(200)
    expect(server.state.sent.map((sent) => sent.status)).toEqual([401, 200])
    expect(events.find((event) => event.type === 'retried')).toMatchObject({
      method: 'GET',
      url: '/api/v1/data',
    })
  })
})

describe('a refresh that outlasts the token it replaces', () => {
  // Not specified in docs/engine.md: this is what the engine does now. The status already says
  // `refreshing`; a token replaced by that refresh is never reported as expired.
  it('reports no expiry while the refresh is out, and none once it has answered', async () => {
    installFakeClock()
    const refresh = vi.fn<RefreshFn>(
      () =>
        new Promise((resolve) =>
          setTimeout(
            () => resolve({ accessToken: tokenFor(Date.now(), 30), refreshToken: 'r2' }),
            15_000,
          ),
        ),
    )
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh,
      tickSeconds: 1,
    })
    const events: AuthEvent[] = []
    session.onEvent((event) => events.push(event))
    // 30 s tokens: due 10 s before expiry; the call takes 15 s, so the token expires during it.
    session.setTokens({ accessToken: tokenFor(Date.now(), 30), refreshToken: 'r1' })
    const expiresAt = session.getState().expiresAt ?? 0
    session.start()

    await advance(expiresAt - Date.now() + 2_000, 1_000)
    expect(session.getState().status).toBe('refreshing')
    await advance(5_000, 1_000)

    expect(refresh).toHaveBeenCalledTimes(1)
    expect(session.getState()).toMatchObject({ status: 'authenticated', refreshCount: 1 })
    expect(session.getState().expiresAt).toBeGreaterThan(Date.now())
    expect(events.map((event) => event.type)).toEqual(['signed-in', 'refresh-started', 'refreshed'])
    session.destroy()
  })
})

describe('the tick, to the millisecond', () => {
  // A 300 s token is counted expired 1 s early (whole seconds): it expires 299 s after sign-in,
  // is due 60 s before that, and 1 s ticks land on both moments exactly.
  it('refreshes at the tick that finds exactly refreshMarginSeconds left', async () => {
    installFakeClock()
    const { server, session, events } = createHarness({ session: { tickSeconds: 1 } })
    const expiresAt = session.getState().expiresAt ?? 0
    session.start()

    await advance(239_000, 1_000)

    expect(server.state.counters.refreshes).toBe(1)
    expect(remainingAtRefresh(events, expiresAt)).toEqual([60_000])
  })

  it('reports the expiry at the tick that finds no time left, not one tick later', async () => {
    installFakeClock()
    const { server, session, events } = createHarness({ session: { tickSeconds: 1 } })
    server.failNextRefresh(...Array.from({ length: 20 }, () => 503 as const))
    const expiresAt = session.getState().expiresAt ?? 0
    session.start()

    await advance(299_000, 1_000)

    expect(events.filter((event) => event.type === 'expired')).toEqual([
      { type: 'expired', forced: false, at: expiresAt },
    ])
  })

  it('reports a tester-forced expiry once: the next tick does not report it again', async () => {
    installFakeClock()
    const { server, session, events } = createHarness()
    server.failNextRefresh(...Array.from({ length: 5 }, () => 503 as const))
    session.start()

    createDevtoolsHandle(session).forceExpire()
    await advance(65_000, 1_000)

    expect(server.state.counters.refreshes).toBeGreaterThan(0)
    expect(events.filter((event) => event.type === 'expired')).toEqual([
      expect.objectContaining({ forced: true }),
    ])
  })
})
