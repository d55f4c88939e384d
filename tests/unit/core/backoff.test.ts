import { afterEach, describe, expect, it, vi } from 'vitest'
import { focusManager } from '../../../src/core'
import {
  advance,
  createHarness,
  flush,
  installFakeClock,
  settle,
  setupTestServer,
} from './support/harness'

setupTestServer()
afterEach(() => vi.restoreAllMocks())

describe('after a transient refresh failure', () => {
  it('requests made during the backoff wait for its retry instead of starting a refresh each', async () => {
    installFakeClock()
    // The longest backoff of each attempt: 1 s, then 2 s.
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const { server, client } = createHarness()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh(500)
    const first = settle(client.get('/api/v1/data'))
    await flush()
    expect(server.state.counters.refreshes).toBe(1)

    const during = [1, 2, 3, 4, 5].map(() => settle(client.get('/api/v1/data')))
    await advance(900, 100)
    expect(server.state.counters.refreshes).toBe(1)

    await advance(200, 100)
    expect(server.state.counters.refreshes).toBe(2)
    expect([first, ...during].map((request) => request.value?.status)).toEqual([
      200, 200, 200, 200, 200, 200,
    ])
  })

  it('stops calling on every tick after 8 failures, and a request tries again', async () => {
    installFakeClock()
    const { server, session, client, events } = createHarness()
    session.start()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh(...Array.from({ length: 8 }, () => 503 as const))
    await advance(30 * 60_000, 2_000)
    expect(server.state.counters.refreshes).toBe(8)
    expect(session.getState().status).toBe('authenticated')
    const retries = events.flatMap((e) => (e.type === 'refresh-failed' ? [e.retryInMs] : []))
    expect(retries).toHaveLength(8)
    expect(retries.at(-1)).toBeNull()

    const response = await client.get('/api/v1/data')
    expect(response.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(9)
  })

  it('after 8 failures a wake-up tries again too', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    session.start()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh(...Array.from({ length: 8 }, () => 503 as const))
    await advance(30 * 60_000, 2_000)
    expect(server.state.counters.refreshes).toBe(8)

    focusManager.onFocus()
    await flush()

    expect(server.state.counters.refreshes).toBe(9)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('a wake-up during the backoff retries at once instead of waiting it out', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    server.failNextRefresh(503)
    session.start()
    vi.setSystemTime(Date.now() + 250_000)
    focusManager.onFocus()
    await flush()
    expect(server.state.counters.refreshes).toBe(1)

    focusManager.onFocus()
    await flush()

    expect(server.state.counters.refreshes).toBe(2)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('ticks leave the backoff to its time: 1 s ticks make no call before a 4 s retry', async () => {
    installFakeClock()
    // Backoffs of 1 s, 2 s, then 4 s: the calls come at 0, 1, 3 and 7 s.
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const { server, session } = createHarness({ session: { tickSeconds: 1 } })
    server.failNextRefresh(503, 503, 503)
    vi.setSystemTime(Date.now() + 250_000)
    session.start()

    await advance(6_900, 100)
    expect(server.state.counters.refreshes).toBe(3)

    await advance(200, 100)
    expect(server.state.counters.refreshes).toBe(4)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('stop() cancels a pending retry: a stopped session makes no call', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    server.failNextRefresh(503)
    vi.setSystemTime(Date.now() + 250_000)
    session.start()
    await flush()
    expect(server.state.counters.refreshes).toBe(1)

    session.stop()
    await advance(60_000, 1_000)

    expect(server.state.counters.refreshes).toBe(1)
  })
})
