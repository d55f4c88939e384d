import { describe, expect, it, vi } from 'vitest'
import { HttpResponse, http } from 'msw'
import { API, mswServer } from './support/authServer'
import { expectUnauthorizedError } from './support/expectUnauthorizedError'
import { createHarness, flush, settle, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

const many = <T>(count: number, make: (index: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, index) => make(index)))

describe('single flight under concurrency', () => {
  it('sends 100 requests on a token the client knows has expired after one refresh, none with the stale token', async () => {
    installFakeClock()
    const { server, client, session } = createHarness()
    const stale = session.getState().accessToken
    vi.advanceTimersByTime(301_000)

    const statuses = await many(100, () => client.get('/api/v1/data').then((r) => r.status))

    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent).toHaveLength(100)
    expect(server.state.sent.filter((sent) => sent.token === stale)).toHaveLength(0)
    expect(statuses.filter((status) => status === 200)).toHaveLength(100)
  })

  it('answers 100 requests whose token the server rejects with one refresh and one retry each', async () => {
    installFakeClock()
    const { server, client, events } = createHarness()
    server.revokeAccessTokens()

    const statuses = await many(100, (i) =>
      client.get('/api/v1/data', { headers: { 'x-req': String(i) } }).then((r) => r.status),
    )

    expect(server.state.counters.refreshes).toBe(1)
    expect(statuses.filter((status) => status === 200)).toHaveLength(100)
    const sendsPerRequest = new Map<string | null, number>()
    server.state.sent.forEach(({ id }) =>
      sendsPerRequest.set(id, (sendsPerRequest.get(id) ?? 0) + 1),
    )
    expect(sendsPerRequest.size).toBe(100)
    expect([...sendsPerRequest.values()].every((sends) => sends === 2)).toBe(true)
    expect(events.filter((event) => event.type === 'retried')).toHaveLength(100)
  })

  it('sends each request exactly twice to a server that 401s everything, then fails it with UnauthorizedError', async () => {
    installFakeClock()
    const { server, client } = createHarness()
    server.state.rejectAllRequests = true

    // No fake time is advanced: the calls settle on their own, promptly.
    const errors = await many(20, (i) =>
      client
        .get('/api/v1/data', { headers: { 'x-req': String(i) } })
        .catch((error: unknown) => error),
    )

    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent).toHaveLength(40)
    for (const error of errors) {
      expectUnauthorizedError(
        error,
        /^GET \/api\/v1\/data was answered 401 again after a refresh and one retry/,
        { method: 'GET', path: '/api/v1/data', status: 401, detail: 'Token expired' },
      )
    }
  })

  it('submits a POST retried after a 401 to the server once with a 2xx', async () => {
    installFakeClock()
    const { server, client } = createHarness()
    server.revokeAccessTokens()

    const response = await client.post('/api/v1/jobs', { name: 'импорт' })

    expect(response.status).toBe(201)
    expect(response.data).toMatchObject({ id: 1, name: 'импорт' })
    expect(server.state.created).toBe(1)
    expect(server.state.sent.map((sent) => sent.status)).toEqual([401, 200])
  })

  it('reuses a refresh that completed while a 401 was on its way instead of refreshing again', async () => {
    installFakeClock()
    const { server, client, session } = createHarness()
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    mswServer.use(
      http.get(
        `${API}/api/v1/data`,
        async () => {
          await gate
          return HttpResponse.json({ detail: 'Token revoked' }, { status: 401 })
        },
        { once: true },
      ),
    )
    const first = settle(client.get('/api/v1/data'))
    await flush()
    await session.refresh()
    release()
    await vi.waitUntil(() => first.done)

    expect(first.value?.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent.at(-1)?.token).toBe(session.getState().accessToken)
  })
})
