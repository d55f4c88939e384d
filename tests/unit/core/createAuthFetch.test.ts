import ky from 'ky'
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  AuthTimeoutError,
  UnauthorizedError,
  createAuthFetch,
  isAuthKitError,
  type AuthFetchOptions,
} from '../../../src/core'
import { API, mswServer } from './support/authServer'
import { expectUnauthorizedError } from './support/expectUnauthorizedError'
import { findSecrets } from './support/findSecrets'
import {
  advance,
  createHarness,
  flush,
  installFakeClock,
  settle,
  setupTestServer,
} from './support/harness'

setupTestServer()

const OTHER = 'https://other.example'

const many = <T>(count: number, make: (index: number) => Promise<T>) =>
  Promise.all(Array.from({ length: count }, (_, index) => make(index)))

/** The engine's test backend, a session signed in to it, and `createAuthFetch` over both. */
function setup(options: { fetch?: AuthFetchOptions; signIn?: boolean } = {}) {
  const harness = createHarness({ signIn: options.signIn })
  const authFetch = createAuthFetch(harness.session, { baseURL: API, ...options.fetch })
  return { ...harness, authFetch }
}

/** An upload endpoint on the API that keeps the bytes, Content-Type and token of every send. */
function uploads(server: ReturnType<typeof setup>['server']) {
  const seen: { token: string | null; type: string | null; bytes: string; status: number }[] = []
  mswServer.use(
    http.post(`${API}/api/v1/upload`, async ({ request }) => {
      const token = request.headers.get('authorization')?.slice(7) ?? null
      const ok = token !== null && server.state.access.has(token)
      seen.push({
        token,
        type: request.headers.get('content-type'),
        bytes: Buffer.from(await request.arrayBuffer()).toString('hex'),
        status: ok ? 200 : 401,
      })
      return ok
        ? HttpResponse.json({ stored: true })
        : HttpResponse.json({ detail: 'Token expired' }, { status: 401 })
    }),
  )
  return seen
}

/** Hosts other than the API: each records the Authorization it got and answers 401. */
function foreignHost() {
  const seen: (string | null)[] = []
  mswServer.use(
    http.all(`${OTHER}/*`, ({ request }) => {
      seen.push(request.headers.get('authorization'))
      return HttpResponse.json({ detail: 'Not authenticated' }, { status: 401 })
    }),
  )
  return seen
}

describe('createAuthFetch: single flight and retry', () => {
  it('sends 100 requests on a token the client knows has expired after one refresh, none with the stale token', async () => {
    installFakeClock()
    const { server, session, authFetch } = setup()
    const stale = session.getState().accessToken
    vi.advanceTimersByTime(301_000)

    const statuses = await many(100, () => authFetch('/api/v1/data').then((r) => r.status))

    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent).toHaveLength(100)
    expect(server.state.sent.filter((sent) => sent.token === stale)).toHaveLength(0)
    expect(statuses.filter((status) => status === 200)).toHaveLength(100)
    expect(server.state.log[0]).toBe('refresh')
  })

  it('answers 100 requests whose token the server rejects with one refresh and one retry each', async () => {
    installFakeClock()
    const { server, authFetch, events } = setup()
    server.revokeAccessTokens()

    const statuses = await many(100, (i) =>
      authFetch('/api/v1/data', { headers: { 'x-req': String(i) } }).then((r) => r.status),
    )

    expect(server.state.counters.refreshes).toBe(1)
    expect(statuses.filter((status) => status === 200)).toHaveLength(100)
    const sends = new Map<string | null, number>()
    server.state.sent.forEach(({ id }) => sends.set(id, (sends.get(id) ?? 0) + 1))
    expect(sends.size).toBe(100)
    expect([...sends.values()].every((count) => count === 2)).toBe(true)
    expect(events.filter((event) => event.type === 'retried')).toHaveLength(100)
  })

  it('sends each request exactly twice to a server that 401s everything, then rejects with UnauthorizedError', async () => {
    installFakeClock()
    const { server, session, authFetch } = setup()
    server.state.rejectAllRequests = true
    const tokens = [session.getState().accessToken!, session.getState().refreshToken!]

    const errors = await many(20, (i) =>
      authFetch(`/api/v1/data?page=${i}`, { headers: { 'x-req': String(i) } }).catch(
        (error: unknown) => error,
      ),
    )

    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent).toHaveLength(40)
    tokens.push(session.getState().accessToken!, session.getState().refreshToken!)
    for (const error of errors) {
      expectUnauthorizedError(
        error,
        /^GET \/api\/v1\/data was answered 401 again after a refresh and one retry/,
        { method: 'GET', path: '/api/v1/data', status: 401, detail: 'Token expired' },
      )
      expect(findSecrets(error, tokens)).toEqual([])
    }
  })

  it("keeps a plain-text 401's words as the detail of the UnauthorizedError", async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    mswServer.use(
      http.get(`${API}/api/v1/data`, () =>
        HttpResponse.text('Signature has expired', { status: 401 }),
      ),
    )

    const error = await authFetch('/api/v1/data').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(UnauthorizedError)
    expect((error as Error).cause).toMatchObject({ status: 401, detail: 'Signature has expired' })
    expect(server.state.counters.refreshes).toBe(1)
  })

  it('executes a POST answered 201 once, and a POST retried after a 401 once', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    const post = (name: string) =>
      authFetch('/api/v1/jobs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name }),
      })

    const first = await post('plain')
    expect(first.status).toBe(201)
    expect(server.state.created).toBe(1)
    expect(server.state.sent.map((sent) => sent.status)).toEqual([200])

    server.revokeAccessTokens()
    const retried = await post('импорт')

    expect(retried.status).toBe(201)
    expect(await retried.json()).toMatchObject({ id: 2, name: 'импорт' })
    expect(server.state.created).toBe(2)
    expect(server.state.sent.map((sent) => sent.status)).toEqual([200, 401, 200])
    expect(server.state.counters.refreshes).toBe(1)
  })

  it('reuses a refresh that completed while a 401 was on its way instead of refreshing again', async () => {
    installFakeClock()
    const { server, session, authFetch } = setup()
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
    const first = settle(authFetch('/api/v1/data'))
    await flush()
    await session.refresh()
    release()
    await vi.waitUntil(() => first.done)

    expect(first.value?.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent.at(-1)?.token).toBe(session.getState().accessToken)
  })

  it('reports the retry in a `retried` event with the method and the path, never the query', async () => {
    installFakeClock()
    const { server, authFetch, events } = setup()
    server.revokeAccessTokens()

    const response = await authFetch('/api/v1/data?page=2&api_key=k-93b1', { method: 'GET' })

    expect(response.status).toBe(200)
    expect(events.filter((event) => event.type === 'retried')).toEqual([
      { type: 'retried', at: expect.any(Number), method: 'GET', url: '/api/v1/data' },
    ])
  })

  it('refreshes and retries after a 401 that has no body', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    mswServer.use(
      http.get(`${API}/api/v1/data`, () => new HttpResponse(null, { status: 401 }), {
        once: true,
      }),
    )

    const response = await authFetch('/api/v1/data')

    expect(response.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent).toHaveLength(1)
  })

  it('sends a request whose init says `body: null`, as fetch does', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    const response = await authFetch('/api/v1/data', { method: 'GET', body: null })
    expect(response.status).toBe(200)
    expect(server.state.sent.map((sent) => sent.status)).toEqual([200])
  })

  it('returns a 403 as it is, without refreshing', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    const response = await authFetch('/api/v1/admin')
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({ detail: 'Missing permission: admin' })
    expect(server.state.counters.refreshes).toBe(0)
    expect(server.state.sent).toHaveLength(1)
  })
})

describe('createAuthFetch: the retry sends the same body', () => {
  it.each([
    [
      'a JSON string',
      () => ({
        input: '/api/v1/upload' as RequestInfo,
        init: {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: 'импорт', n: 1 }),
        } as RequestInit | undefined,
      }),
    ],
    [
      'FormData with a file',
      () => {
        const form = new FormData()
        form.set('name', 'run 7')
        form.set('input_file', new File(['#CHROM\tPOS\n1\t42\n'], 'sample.vcf'))
        return { input: '/api/v1/upload' as RequestInfo, init: { method: 'POST', body: form } }
      },
    ],
    [
      'a Request object',
      () => ({
        input: new Request(`${API}/api/v1/upload`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: 'x'.repeat(100_000),
        }) as RequestInfo,
        init: undefined,
      }),
    ],
  ])('replays %s byte for byte after a 401', async (_name, make) => {
    installFakeClock()
    const { server, authFetch } = setup()
    const seen = uploads(server)
    server.revokeAccessTokens()
    const { input, init } = make()

    const response = await authFetch(input, init)

    expect(response.status).toBe(200)
    expect(seen.map((send) => send.status)).toEqual([401, 200])
    expect(seen[0]!.bytes.length).toBeGreaterThan(0)
    expect(seen[1]!.bytes).toBe(seen[0]!.bytes)
    expect(seen[1]!.type).toBe(seen[0]!.type)
    expect(seen[1]!.token).not.toBe(seen[0]!.token)
    expect(server.state.counters.refreshes).toBe(1)
  })

  it('rejects a streamed body answered 401 with UnauthorizedError instead of sending it empty', async () => {
    installFakeClock()
    const { server, session, authFetch } = setup()
    const seen = uploads(server)
    server.revokeAccessTokens()
    const stream = new Blob(['streamed upload']).stream()

    const error = await authFetch('/api/v1/upload', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit).catch((e: unknown) => e)

    expectUnauthorizedError(
      error,
      /^POST \/api\/v1\/upload was answered 401 and not retried: its body is a stream/,
      { method: 'POST', path: '/api/v1/upload', status: 401, detail: 'Token expired' },
    )
    expect(seen.map((send) => send.status)).toEqual([401])
    // The session is refreshed, so sending it again works at once.
    expect(server.state.counters.refreshes).toBe(1)
    expect(session.peekAccessToken()).not.toBeNull()
  })
  it('sends an async iterable body as a stream too: a 401 is not retried with it', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    const seen = uploads(server)
    server.revokeAccessTokens()
    async function* chunks() {
      yield new TextEncoder().encode('streamed ')
      yield new TextEncoder().encode('upload')
    }

    const error = await authFetch('/api/v1/upload', {
      method: 'POST',
      body: chunks(),
      duplex: 'half',
    } as unknown as RequestInit).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(UnauthorizedError)
    expect((error as Error).message).toMatch(
      /was answered 401 and not retried: its body is a stream/,
    )
    expect(seen.map((send) => [send.status, send.bytes])).toEqual([
      [401, Buffer.from('streamed upload').toString('hex')],
    ])
    expect(server.state.counters.refreshes).toBe(1)
  })
})

describe('createAuthFetch: held requests and AbortSignal', () => {
  it('holds a request while the token is known to be expired: the server never sees that token', async () => {
    installFakeClock()
    const { server, session, authFetch } = setup()
    const stale = session.getState().accessToken
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh({ slowMs: 2_000 })

    const request = settle(authFetch('/api/v1/data'))
    await advance(1_000)
    expect(request.done).toBe(false)
    expect(server.state.sent).toHaveLength(0)
    await advance(1_500)

    expect(request.value?.status).toBe(200)
    expect(server.state.log).toEqual(['refresh', '/api/v1/data'])
    expect(server.state.sent[0]?.token).not.toBe(stale)
  })

  it('rejects a held request with the AbortError when its signal aborts, and never sends it', async () => {
    installFakeClock()
    const { server, session, authFetch } = setup()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh({ slowMs: 2_000 })
    const controller = new AbortController()

    const request = settle(authFetch('/api/v1/data', { signal: controller.signal }))
    const other = settle(authFetch('/api/v1/data'))
    await advance(500)
    controller.abort()
    await flush()

    expect(request.error).toBeInstanceOf(DOMException)
    expect((request.error as DOMException).name).toBe('AbortError')
    await advance(2_000)
    // The refresh the aborted request was waiting for goes on for the others.
    expect(other.value?.status).toBe(200)
    expect(server.state.sent).toHaveLength(1)
    expect(session.getState().refreshCount).toBe(1)
  })

  it('rejects with the abort reason while waiting for the refresh after a 401, sending no retry', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    server.revokeAccessTokens()
    server.failNextRefresh({ slowMs: 2_000 })
    const controller = new AbortController()
    const reason = new Error('user left the page')

    const request = settle(authFetch('/api/v1/data', { signal: controller.signal }))
    await advance(500)
    expect(server.state.sent.map((sent) => sent.status)).toEqual([401])
    controller.abort(reason)
    await flush()

    expect(request.error).toBe(reason)
    await advance(2_000)
    expect(server.state.sent).toHaveLength(1)
  })

  it('rejects at once a request aborted before it was made, without waiting for the refresh', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh({ slowMs: 2_000 })

    const request = settle(authFetch('/api/v1/data', { signal: AbortSignal.abort() }))
    await advance(500)

    expect((request.error as DOMException | undefined)?.name).toBe('AbortError')
    await advance(2_000)
    expect(server.state.sent).toHaveLength(0)
  })

  it('joins a path to a baseURL that ends with a slash as axios does, with one slash', async () => {
    const { server, authFetch } = setup({ fetch: { baseURL: `${API}/` } })

    const response = await authFetch('/api/v1/data')

    expect(response.status).toBe(200)
    expect(server.state.log).toEqual(['/api/v1/data'])
  })

  it('honours the signal of a Request object', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh({ slowMs: 2_000 })
    const controller = new AbortController()

    const request = settle(
      authFetch(new Request(`${API}/api/v1/data`, { signal: controller.signal })),
    )
    await advance(500)
    controller.abort()
    await flush()

    expect((request.error as DOMException).name).toBe('AbortError')
    await advance(2_000)
    expect(server.state.sent).toHaveLength(0)
  })

  it('rejects a request held for a refresh that never comes after holdTimeoutMs', async () => {
    installFakeClock()
    const { server, authFetch } = setup({ fetch: { holdTimeoutMs: 5_000 } })
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh('timeout', 'timeout', 'timeout')

    const request = settle(authFetch('/api/v1/data'))
    await advance(4_500)
    expect(request.done).toBe(false)
    await advance(1_000)

    expect(request.error).toBeInstanceOf(AuthTimeoutError)
    expect(server.state.sent).toHaveLength(0)
  })
})

describe('createAuthFetch: which requests carry the token', () => {
  it('sends no token to another origin, and its 401 is returned without a refresh or retry', async () => {
    installFakeClock()
    const seen = foreignHost()
    const { server, authFetch, events } = setup()

    const response = await authFetch(`${OTHER}/x`)

    expect(response.status).toBe(401)
    expect(seen).toEqual([null])
    expect(server.state.counters.refreshes).toBe(0)
    expect(events.filter((event) => event.type === 'retried')).toEqual([])
  })

  it('neither holds a request to another origin while the token is expired nor refreshes for it', async () => {
    installFakeClock()
    const seen = foreignHost()
    const { server, authFetch } = setup()
    vi.advanceTimersByTime(301_000)

    // No fake time passes: a request held for a refresh would not settle.
    expect((await authFetch(`${OTHER}/x`)).status).toBe(401)
    expect(seen).toEqual([null])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('sends the token to allowedOrigins, and refreshes and retries once on their 401', async () => {
    installFakeClock()
    const seen = foreignHost()
    const { server, session, authFetch } = setup({ fetch: { allowedOrigins: [OTHER] } })
    const before = session.getState().accessToken

    const error = await authFetch(`${OTHER}/x`).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(seen).toEqual([`Bearer ${before}`, `Bearer ${session.getState().accessToken}`])
    expect(server.state.counters.refreshes).toBe(1)
  })

  it('leaves an Authorization header the app set itself, and does not refresh on its 401', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    server.revokeAccessTokens()

    const response = await authFetch('/api/v1/data', {
      headers: { Authorization: 'Bearer their-own-key' },
    })

    expect(response.status).toBe(401)
    expect(server.state.sent.map((sent) => sent.token)).toEqual(['their-own-key'])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('never intercepts the login call', async () => {
    installFakeClock()
    const seen: (string | null)[] = []
    mswServer.use(
      http.post(`${API}/api/v1/auth/login`, ({ request }) => {
        seen.push(request.headers.get('authorization'))
        return HttpResponse.json({ detail: 'Invalid credentials' }, { status: 401 })
      }),
    )
    const { server, authFetch } = setup()
    const response = await authFetch('/api/v1/auth/login', { method: 'POST', body: '{}' })
    expect(response.status).toBe(401)
    expect(seen).toEqual([null])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('sends requests without a token while no one is signed in, and does not refresh on their 401', async () => {
    installFakeClock()
    const { server, authFetch } = setup({ signIn: false })
    const response = await authFetch('/api/v1/data')
    expect(response.status).toBe(401)
    expect(server.state.sent.map((sent) => sent.token)).toEqual([null])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('sends a request made while a cookie session resumes, and finds nobody, without a token', async () => {
    installFakeClock()
    let refreshes = 0
    const harness = createHarness({
      signIn: false,
      session: {
        refreshCredential: 'cookie',
        refresh: async () => {
          refreshes++
          throw Object.assign(new Error('no session cookie'), { status: 401 })
        },
      },
    })
    const authFetch = createAuthFetch(harness.session, { baseURL: API })
    harness.session.start()
    expect(harness.session.getState().status).toBe('refreshing')

    const response = await authFetch('/api/v1/data')

    expect(harness.session.getState()).toMatchObject({ status: 'anonymous', endReason: null })
    expect(response.status).toBe(401)
    expect(harness.server.state.sent.map((sent) => sent.token)).toEqual([null])
    expect(refreshes).toBe(1)
  })
})

describe('createAuthFetch under ky', () => {
  it('refreshes once and retries a JSON POST once, the body intact, for ky.create({ fetch })', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    const api = ky.create({ prefixUrl: API, fetch: authFetch, retry: 0 })
    server.revokeAccessTokens()

    const created = await Promise.all([
      api.post('api/v1/jobs', { json: { name: 'a' } }).json(),
      api.post('api/v1/jobs', { json: { name: 'b' } }).json(),
      api.get('api/v1/data').json(),
    ])

    expect(created).toEqual([
      expect.objectContaining({ name: 'a' }),
      expect.objectContaining({ name: 'b' }),
      { ok: true },
    ])
    expect(server.state.created).toBe(2)
    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent.map((sent) => sent.status).sort()).toEqual([
      200, 200, 200, 401, 401, 401,
    ])
  })

  it('hands ky the UnauthorizedError of a second 401', async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    const api = ky.create({ prefixUrl: API, fetch: authFetch, retry: 0 })
    server.state.rejectAllRequests = true

    const error = await api.get('api/v1/data').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(server.state.sent).toHaveLength(2)
  })

  it("keeps a second 401 to two sends and one refresh with docs/engine.md's retry option, where ky's default would send it 6 times", async () => {
    installFakeClock()
    const { server, authFetch } = setup()
    server.state.rejectAllRequests = true
    const get = (options: Parameters<typeof ky.create>[0]) =>
      settle(ky.create({ prefixUrl: API, fetch: authFetch, ...options }).get('api/v1/data'))

    const documented = get({
      retry: { shouldRetry: ({ error }) => (isAuthKitError(error) ? false : undefined) },
    })
    await advance(10_000, 100)
    expect(documented.error).toBeInstanceOf(UnauthorizedError)
    expect(server.state.sent).toHaveLength(2)
    expect(server.state.counters.refreshes).toBe(1)

    // The control: ky retries any error that is not an HTTPError, so each of its 2 retries meets
    // a 401 with the newest token and refreshes again.
    const defaults = get({})
    await advance(10_000, 100)
    expect(defaults.error).toBeInstanceOf(UnauthorizedError)
    expect(server.state.sent).toHaveLength(2 + 6)
    expect(server.state.counters.refreshes).toBe(1 + 3)
  })
})
