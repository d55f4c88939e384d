import { AxiosError } from 'axios'
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  AuthTimeoutError,
  InvalidRefreshResponseError,
  InvalidTokenError,
  RefreshFailedError,
  RefreshLoopError,
  RefreshRejectedError,
  SessionEndedError,
  createAuthSession,
  createMemoryStorage,
} from '../../../src/core'
import { HttpFailure } from '../../../src/core/HttpFailure'
import { API, mswServer } from './support/authServer'
import { makeJwt } from './support/jwt'
import {
  advance,
  createHarness,
  flush,
  settle,
  installFakeClock,
  setupTestServer,
} from './support/harness'

setupTestServer()

describe('a refresh the server rejects', () => {
  it('ends the session, clears the tokens and rejects every waiting request', async () => {
    installFakeClock()
    const { server, client, session, storage, events } = createHarness()
    expect(storage.getItem('token-refresh-kit')).not.toBeNull()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh(401)

    const errors = await Promise.all(
      Array.from({ length: 5 }, () => client.get('/api/v1/data').catch((e: unknown) => e)),
    )

    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.sent).toHaveLength(0)
    for (const error of errors) {
      expect(error).toBeInstanceOf(SessionEndedError)
      expect((error as SessionEndedError).cause).toBeInstanceOf(RefreshRejectedError)
      expect((error as SessionEndedError).message).toBe(
        'The session has ended (refresh-rejected); sign in again to continue.',
      )
    }
    expect(session.getState()).toMatchObject({
      status: 'ended',
      endReason: 'refresh-rejected',
      accessToken: null,
      refreshToken: null,
      expiresAt: null,
      user: null,
    })
    expect(session.getState().error?.message).toBe(
      'Refresh was rejected with status 401: POST /api/v1/auth/refresh. The session has ended; sign in again.',
    )
    expect(storage.getItem('token-refresh-kit')).toBeNull()
    expect(events.map((event) => event.type)).toContain('ended')
  })

  it.each([400, 403])('ends the session on a %i from the refresh call too', async (status) => {
    installFakeClock()
    const { server, session } = createHarness()
    server.failNextRefresh(status as 400 | 403)
    await expect(session.refresh()).rejects.toBeInstanceOf(RefreshRejectedError)
    expect(session.getState().status).toBe('ended')
  })
})

describe('a session restored by a reload', () => {
  it('ends on a rejected refresh, as a signed-in one does, and keeps its tokens through a transient one', async () => {
    installFakeClock()
    const { server, storage } = createHarness()
    const reloaded = createAuthSession({ baseURL: API, storage, channel: null })
    const events: string[] = []
    reloaded.onEvent((event) => events.push(event.type))

    server.failNextRefresh(503)
    await expect(reloaded.refresh()).rejects.toBeInstanceOf(RefreshFailedError)
    expect(reloaded.getState()).toMatchObject({ status: 'authenticated', endReason: null })
    expect(reloaded.getState().accessToken).not.toBeNull()

    server.failNextRefresh(401)
    await expect(reloaded.refresh()).rejects.toBeInstanceOf(RefreshRejectedError)
    expect(reloaded.getState()).toMatchObject({ status: 'ended', endReason: 'refresh-rejected' })
    expect(events).toEqual([
      'refresh-started',
      'refresh-failed',
      'refresh-started',
      'refresh-failed',
      'ended',
    ])
    reloaded.destroy()
  })
})

describe('a transient refresh failure', () => {
  it.each([500, 503, 'network'] as const)(
    'keeps the session on %s, retries with backoff, and the waiting request succeeds',
    async (failure) => {
      installFakeClock()
      const { server, client, session, events } = createHarness()
      vi.advanceTimersByTime(301_000)
      server.failNextRefresh(failure)

      const request = settle(client.get('/api/v1/data'))
      await advance(2_000)

      expect(request.value?.status).toBe(200)
      expect(server.state.counters.refreshes).toBe(2)
      expect(session.getState().status).toBe('authenticated')
      const failed = events.find((event) => event.type === 'refresh-failed')
      expect(failed).toMatchObject({ transient: true, error: expect.any(RefreshFailedError) })
      const expected = {
        500: /^Refresh failed with status 500: POST \/api\/v1\/auth\/refresh\. The session is kept; retrying in (0\.[5-9]|1) s\.$/,
        503: /^Refresh failed with status 503: POST \/api\/v1\/auth\/refresh\. The session is kept;/,
        network:
          /^Refresh failed with a network error \(.+\): POST \/api\/v1\/auth\/refresh\. The session is kept;/,
      }[failure]
      expect(failed?.type === 'refresh-failed' && failed.error.message).toMatch(expected)
      // The status an app branches on survives the note that says what happens next.
      const status = failure === 'network' ? undefined : failure
      expect(failed?.type === 'refresh-failed' && (failed.error as RefreshFailedError).status).toBe(
        status,
      )
    },
  )

  it('keeps the session through a long outage and serves the next request once the endpoint is back', async () => {
    installFakeClock()
    vi.spyOn(Math, 'random').mockReturnValue(1)
    const { server, client, session, events } = createHarness()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh(500, 500, 500, 500, 500)

    const first = settle(client.get('/api/v1/data'))
    await advance(30_500)
    expect(first.error).toBeInstanceOf(AuthTimeoutError)
    expect((first.error as Error).message).toMatch(
      /^No fresh access token within 30 s: Refresh failed/,
    )
    // The last refresh failure is the timeout's cause, for an app that reports why.
    expect((first.error as Error).cause).toBeInstanceOf(RefreshFailedError)
    expect(session.getState().status).toBe('authenticated')
    expect(server.state.counters.refreshes).toBe(5)
    const delays = events.flatMap((e) => (e.type === 'refresh-failed' ? [e.retryInMs] : []))
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000])

    await advance(1_000)
    const next = await client.get('/api/v1/data')
    expect(next.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(6)
    vi.restoreAllMocks()
  })

  it('waits for Retry-After after a 429', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    server.state.retryAfter = '20'
    server.failNextRefresh(429)
    const manual = settle(session.refresh())
    await advance(19_000)
    expect(manual.error).toBeInstanceOf(RefreshFailedError)
    expect((manual.error as RefreshFailedError).retryAfterMs).toBe(20_000)
    expect(server.state.counters.refreshes).toBe(1)
    await advance(1_500)
    expect(server.state.counters.refreshes).toBe(2)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('stops retrying on its own after 8 attempts, with the session kept', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    server.failNextRefresh(...Array.from({ length: 50 }, () => 503 as const))
    void session.refresh().catch(() => undefined)
    await advance(30 * 60_000, 2_000)
    expect(server.state.counters.refreshes).toBe(8)
    expect(session.getState().status).toBe('authenticated')
    expect(session.getState().error?.message).toMatch(
      /after 8 attempts the next request or wake-up retries/,
    )
  })
})

describe('limits', () => {
  it('trips a breaker after 10 refreshes in a minute and refreshes again once the window clears', async () => {
    installFakeClock()
    const { server, client, session, events } = createHarness()
    server.state.rejectAllRequests = true

    for (let i = 0; i < 10; i++) await client.get('/api/v1/data').catch(() => undefined)
    expect(server.state.counters.refreshes).toBe(10)

    const statuses: string[] = []
    const unsubscribe = session.subscribe((state) => statuses.push(state.status))
    const eleventh = await client.get('/api/v1/data').catch((error: unknown) => error)
    unsubscribe()
    // Refused before it starts: no "refreshing" flicker, no refresh-started for a call never made.
    expect(statuses).not.toContain('refreshing')
    expect(events.filter((event) => event.type === 'refresh-started')).toHaveLength(10)
    expect(eleventh).toBeInstanceOf(RefreshLoopError)
    expect((eleventh as Error).message).toMatch(
      /^Too many refreshes \(10 in a minute, for tokens that live 300 s\): refreshing is paused for [\d.]+ s\. 10 of them followed a 401 to a token the server had just issued/,
    )
    expect(session.getState().error).toBeInstanceOf(RefreshLoopError)
    expect(server.state.counters.refreshes).toBe(10)

    vi.advanceTimersByTime(61_000)
    server.state.rejectAllRequests = false
    await session.refresh()
    expect(server.state.counters.refreshes).toBe(11)
  })

  it('never refreshes on a 403', async () => {
    installFakeClock()
    const { server, client } = createHarness()
    const error = await client.get('/api/v1/admin').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response?.status).toBe(403)
    expect(server.state.counters.refreshes).toBe(0)
    expect(server.state.sent).toHaveLength(1)
  })

  it('leaves a request with skipAuthRefresh alone on a 401, with its token attached', async () => {
    installFakeClock()
    const { server, client, session } = createHarness()
    server.revokeAccessTokens()
    const error = await client
      .get('/api/v1/data', { skipAuthRefresh: true })
      .catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(401)
    expect(server.state.sent[0]?.token).toBe(session.getState().accessToken)
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('never intercepts the login, register and refresh calls', async () => {
    installFakeClock()
    const seen: (string | null)[] = []
    mswServer.use(
      http.post(`${API}/api/v1/auth/login`, ({ request }) => {
        seen.push(request.headers.get('authorization'))
        return HttpResponse.json({ detail: 'Invalid credentials' }, { status: 401 })
      }),
    )
    const { server, client } = createHarness()
    const error = await client
      .post('/api/v1/auth/login', { email: 'a@b.c' })
      .catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(401)
    expect(seen).toEqual([null])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('rejects a request held for a refresh that never comes after 30 s', async () => {
    installFakeClock()
    const { server, client } = createHarness()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh('timeout', 'timeout', 'timeout')
    const request = settle(client.get('/api/v1/data'))
    await advance(29_000)
    expect(request.done).toBe(false)
    await advance(1_500)
    expect(request.error).toBeInstanceOf(AuthTimeoutError)
    await flush()
  })
})

describe('a custom refresh function', () => {
  it.each([
    [
      'an answer with an unusable token is an invalid response, the token error its cause',
      async () => ({ accessToken: 'opaque-and-no-expiry', refreshToken: 'r2' }),
      InvalidRefreshResponseError,
      InvalidTokenError,
    ],
    [
      'a kit error other than a refresh failure is a transient failure, that error its cause',
      async (): Promise<never> => {
        throw new InvalidTokenError('the refresh function could not read its token')
      },
      RefreshFailedError,
      InvalidTokenError,
    ],
  ])('that throws %s', async (_name, refresh, kind, cause) => {
    const session = createAuthSession({ storage: createMemoryStorage(), channel: null, refresh })
    session.setTokens({ accessToken: makeJwt({ sub: 'u', iat: 1, exp: 301 }), refreshToken: 'r' })

    const error = await session.refresh().catch((e: unknown) => e)

    expect(error).toBeInstanceOf(kind)
    expect((error as Error).message).toMatch(/The session is kept; retrying in/)
    expect((error as Error).cause).toBeInstanceOf(cause)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error })
    session.stop()
  })

  it('that throws a plain error is a transient failure, its message kept in a scrubbed cause', async () => {
    installFakeClock()
    const boom = new Error('socket closed')
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh: async () => {
        throw boom
      },
    })
    session.setTokens({ accessToken: makeJwt({ sub: 'u', iat: 1, exp: 301 }), refreshToken: 'r' })
    const error = await session.refresh().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect((error as Error).message).toMatch(
      /^The refresh function threw without an HTTP status \(socket closed\); treated as transient: the refresh function\. The session is kept; retrying in/,
    )
    expect((error as Error).cause).toBeInstanceOf(HttpFailure)
    expect((error as HttpFailure).cause).toMatchObject({ detail: 'socket closed' })
    expect(session.getState().status).toBe('authenticated')
    session.stop()
  })

  it.each([
    ['is fresh: the session goes on with it', 200_000, 300_000, 'authenticated'],
    ['is due too: the session ends', 10_000, 300_000, 'ended'],
    [
      'has just the 60 s margin left, due as the scheduler sees it: the session ends',
      60_000,
      300_000,
      'ended',
    ],
    [
      'has 30 s of an unknown lifetime left, due within the 60 s margin: the session ends',
      30_000,
      0,
      'ended',
    ],
  ])(
    'that is rejected while another tab rotated, adopts the token it left only if it %s',
    async (_name, leftMs, lifetimeMs, status) => {
      installFakeClock()
      const storage = createMemoryStorage()
      const theirs = makeJwt({ sub: 'u', iat: 2, exp: 302 })
      const session = createAuthSession({
        storage,
        channel: null,
        refresh: async () => {
          storage.setItem(
            'token-refresh-kit',
            JSON.stringify({
              accessToken: theirs,
              refreshToken: 'r-rotated-by-the-other-tab',
              expiresAt: Date.now() + leftMs,
              lifetimeMs,
            }),
          )
          throw new RefreshRejectedError('Refresh token already used.', { status: 401 })
        },
      })
      session.setTokens({ accessToken: makeJwt({ sub: 'u', iat: 1, exp: 301 }), refreshToken: 'r' })
      const result = await session.refresh().catch((e: unknown) => e)
      expect(session.getState().status).toBe(status)
      if (status === 'authenticated') expect(result).toBe(theirs)
      else expect(result).toBeInstanceOf(RefreshRejectedError)
    },
  )

  it('is given the newest access token and refresh token, even when another tab left them due', async () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const sent: { refreshToken: string | null; accessToken: string | null }[] = []
    const session = createAuthSession({
      storage,
      channel: null,
      refresh: async (refreshToken, { accessToken }) => {
        sent.push({ refreshToken, accessToken })
        return { accessToken: makeJwt({ sub: 'u', iat: 3, exp: 303 }), refreshToken: 'r3' }
      },
    })
    session.setTokens({ accessToken: makeJwt({ sub: 'u', iat: 1, exp: 301 }), refreshToken: 'r' })
    // Another tab refreshed since, and its token is due too by now.
    vi.advanceTimersByTime(250_000)
    const theirs = makeJwt({ sub: 'u', iat: 2, exp: 302 })
    storage.setItem(
      'token-refresh-kit',
      JSON.stringify({
        accessToken: theirs,
        refreshToken: 'r2',
        expiresAt: Date.now() + 55_000,
        lifetimeMs: 300_000,
      }),
    )
    await session.refresh()
    expect(sent).toEqual([{ refreshToken: 'r2', accessToken: theirs }])
    session.stop()
  })

  it('that throws RefreshRejectedError ends the session', async () => {
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh: async () => {
        throw new RefreshRejectedError('No such session.', { status: 401 })
      },
    })
    session.setTokens({ accessToken: makeJwt({ sub: 'u', iat: 1, exp: 301 }), refreshToken: 'r' })
    await expect(session.refresh()).rejects.toThrow('No such session.')
    expect(session.getState()).toMatchObject({ status: 'ended', endReason: 'refresh-rejected' })
  })
})
