import { afterEach, describe, expect, it, vi } from 'vitest'
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
})
