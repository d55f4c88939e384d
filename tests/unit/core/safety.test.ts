import axios from 'axios'
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  InvalidRefreshResponseError,
  RefreshFailedError,
  RefreshLoopError,
  RefreshRejectedError,
  SessionEndedError,
  createAuthSession,
  createMemoryStorage,
  createRefreshAdapter,
  focusManager,
  onlineManager,
  type AuthEvent,
  type RefreshCoordinator,
  type RefreshFn,
  type TokenPair,
} from '../../../src/core'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'
import { API, mswServer } from './support/authServer'
import { createListenedChannel } from './support/createListenedChannel'
import { findSecrets } from './support/findSecrets'
import { makeJwt, tokenFor } from './support/jwt'
import {
  advance,
  createHarness,
  flush,
  installFakeClock,
  settle,
  setupTestServer,
} from './support/harness'

setupTestServer()

/** A session on a custom refresh function, signed in with a 300 s token; `events` collects its stream. */
function sessionWith(refresh: RefreshFn, extra: Parameters<typeof createAuthSession>[0] = {}) {
  const session = createAuthSession({
    storage: createMemoryStorage(),
    channel: null,
    refresh,
    ...extra,
  })
  const events: AuthEvent[] = []
  session.onEvent((event) => events.push(event))
  session.setTokens({ accessToken: tokenFor(Date.now()), refreshToken: 'refresh-secret-1' })
  return { session, events }
}

/** An AxiosError from a real call, as a hand-written refresh function on axios would throw it. */
async function axiosErrorFrom(status: number, refreshToken: string) {
  mswServer.use(
    http.post(`${API}/custom/refresh`, () =>
      HttpResponse.json({ detail: 'Refresh token revoked' }, { status }),
    ),
  )
  return axios
    .post(`${API}/custom/refresh`, { refresh_token: refreshToken })
    .catch((error: unknown) => error)
}

describe('a custom refresh function is classified like the default adapter', () => {
  const thrown: [string, (status: number) => Promise<unknown>][] = [
    ['an AxiosError', (status) => axiosErrorFrom(status, 'refresh-secret-1')],
    ['an Error with `status`', async (status) => Object.assign(new Error('nope'), { status })],
    ['a plain `{ status }`', async (status) => ({ status })],
    ['a ky-style `{ response: { status } }`', async (status) => ({ response: { status } })],
    [
      'a fetch Response',
      async (status) => new Response(JSON.stringify({ detail: 'no' }), { status }),
    ],
  ]

  it.each(thrown)(
    '%s with status 401 ends the session once, after one call',
    async (_name, make) => {
      installFakeClock()
      const error = await make(401)
      const refresh = vi.fn<RefreshFn>(async () => {
        throw error
      })
      const { session, events } = sessionWith(refresh)
      session.start()
      vi.advanceTimersByTime(301_000)

      const waiting = [settle(session.getAccessToken()), settle(session.getAccessToken())]
      await advance(1_000)

      expect(refresh).toHaveBeenCalledTimes(1)
      expect(session.getState()).toMatchObject({ status: 'ended', endReason: 'refresh-rejected' })
      expect(session.getState().error).toBeInstanceOf(RefreshRejectedError)
      for (const request of waiting) expect(request.error).toBeInstanceOf(SessionEndedError)
      expect(events.filter((event) => event.type === 'ended')).toHaveLength(1)
      await advance(120_000, 5_000)
      expect(refresh).toHaveBeenCalledTimes(1)
      session.destroy()
    },
  )

  it.each([
    [400, 'ended'],
    [403, 'ended'],
    [404, 'ended'],
    [408, 'authenticated'],
    [429, 'authenticated'],
    [500, 'authenticated'],
    [503, 'authenticated'],
  ] as const)('an Error with status %i leaves the session %s', async (status, expected) => {
    installFakeClock()
    const { session } = sessionWith(async () => {
      throw Object.assign(new Error('refresh failed'), { status })
    })
    const error = await session.refresh().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(expected === 'ended' ? RefreshRejectedError : RefreshFailedError)
    expect(error).toMatchObject({ status })
    expect(session.getState().status).toBe(expected)
    session.destroy()
  })
})

describe('what a custom refresh function throws, read like an answer', () => {
  const failureFrom = async (thrown: unknown) => {
    installFakeClock()
    const { session } = sessionWith(async () => {
      throw thrown
    })
    const error = (await session.refresh().catch((e: unknown) => e)) as RefreshFailedError
    const { status } = session.getState()
    session.destroy()
    return { error, status }
  }

  it.each([
    [
      'plain lower-case headers, as axios gives them',
      { status: 429, headers: { 'retry-after': '5' } },
      5_000,
    ],
    [
      'plain headers under response',
      { response: { status: 503, headers: { 'Retry-After': '9' } } },
      9_000,
    ],
    ['headers that are null', { status: 429, headers: null }, undefined],
  ])('reads Retry-After from %s', async (_name, thrown, retryAfterMs) => {
    const { error, status } = await failureFrom(thrown)
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(error.retryAfterMs).toBe(retryAfterMs)
    expect(error.message).toMatch(/^Refresh (was rate limited \(429\)|failed with status 503): /)
    expect(status).toBe('authenticated')
  })

  it.each([
    [0, undefined],
    [100, 100],
    [302, 302],
    [599, 599],
    [600, undefined],
  ])('takes a thrown status %i as a transient failure with status %s', async (thrown, expected) => {
    const { error, status } = await failureFrom({ status: thrown })
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(error.status).toBe(expected)
    expect(status).toBe('authenticated')
  })

  it.each([undefined, null])('takes a thrown %s as a transient failure', async (thrown) => {
    const { error, status } = await failureFrom(thrown)
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(error.message).toMatch(
      /^The refresh function threw without an HTTP status \(no message\); treated as transient: the refresh function\./,
    )
    expect(status).toBe('authenticated')
  })

  it('names the call that an AxiosError came from', async () => {
    const { error } = await failureFrom(await axiosErrorFrom(500, 'refresh-secret-1'))
    expect(error.message).toMatch(/^Refresh failed with status 500: POST \/custom\/refresh\./)
  })

  it('reports an axios CanceledError as aborted', async () => {
    const { error, status } = await failureFrom(new axios.CanceledError())
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(error.message).toMatch(/^Refresh was aborted: the refresh function\./)
    expect(error.cause).toMatchObject({ name: 'HttpFailure' })
    expect(status).toBe('authenticated')
  })

  it('reports a Node network error by its code, with what failed as the cause', async () => {
    const thrown = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
    })
    const { error, status } = await failureFrom(thrown)
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(error.message).toMatch(
      /^Refresh failed with a network error \(ECONNREFUSED\): the refresh function\./,
    )
    expect(error.cause).toMatchObject({
      name: 'HttpFailure',
      detail: 'connect ECONNREFUSED 127.0.0.1:9',
    })
    expect(status).toBe('authenticated')
  })

  it('keeps the cause of a kit error as thrown: none, or a kit error scrubbed in turn', async () => {
    installFakeClock()
    const inner = new RefreshFailedError('The gateway failed.', {
      cause: await axiosErrorFrom(502, 'refresh-secret-1'),
    })
    const causes = [undefined, null, inner]
    for (const cause of causes) {
      const { session } = sessionWith(async () => {
        throw new RefreshRejectedError('Session revoked.', { cause })
      })
      const thrown = (await session.refresh().catch((e: unknown) => e)) as Error
      expect(thrown).toBeInstanceOf(RefreshRejectedError)
      expect(thrown.cause).toBe(cause)
      session.destroy()
    }
    expect(inner.cause).toMatchObject({ name: 'HttpFailure', status: 502, path: '/custom/refresh' })
    expect(findSecrets(inner, ['refresh-secret-1'])).toEqual([])
    // Not enumerable, as a cause given to the constructor is: JSON.stringify and spreads leave it out.
    expect(Object.keys(inner)).not.toContain('cause')
  })
})

describe('no secret is reachable from an error or event the kit keeps', () => {
  it('a custom refresh that throws an AxiosError holding the refresh token leaves none in state, events or toJSON', async () => {
    installFakeClock()
    const accessToken = tokenFor(Date.now())
    const refreshToken = 'refresh-secret-for-the-graph-walk'
    const failures = [
      await axiosErrorFrom(401, refreshToken),
      await axiosErrorFrom(500, refreshToken),
    ]
    expect(findSecrets(failures[0], [refreshToken])).not.toEqual([])
    for (const failure of failures) {
      const session = createAuthSession({
        storage: createMemoryStorage(),
        channel: null,
        refresh: async () => {
          throw failure
        },
      })
      const events: AuthEvent[] = []
      session.onEvent((event) => events.push(event))
      session.setTokens({ accessToken, refreshToken })
      const thrown = await session.refresh().catch((e: unknown) => e)
      const kept = { thrown, state: session.getState().error, events }
      expect(findSecrets(kept, [refreshToken, accessToken])).toEqual([])
      expect(JSON.stringify(kept)).not.toContain(refreshToken)
      expect(session.getState().error?.cause).toMatchObject({
        name: 'HttpFailure',
        method: 'POST',
        path: '/custom/refresh',
        status: failure === failures[0] ? 401 : 500,
        detail: 'Refresh token revoked',
      })
      session.destroy()
    }
  })

  it('scrubs the cause of a RefreshRejectedError that the refresh function throws', async () => {
    installFakeClock()
    const axiosError = await axiosErrorFrom(401, 'refresh-secret-1')
    const { session } = sessionWith(async () => {
      throw new RefreshRejectedError('Session revoked.', { cause: axiosError, status: 401 })
    })
    const thrown = await session.refresh().catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(RefreshRejectedError)
    expect(findSecrets({ thrown, state: session.getState() }, ['refresh-secret-1'])).toEqual([])
  })
})

describe('a slow refresh never spends a refresh token twice', () => {
  it('keeps a call that outlives the timeout, adopts its answer, and starts no other meanwhile', async () => {
    installFakeClock()
    const { server, session, client } = createHarness()
    session.start()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh({ slowMs: 11_000 })

    const manual = settle(session.refresh())
    const request = settle(client.get('/api/v1/data'))
    await advance(10_500)
    expect(manual.error).toBeInstanceOf(RefreshFailedError)
    expect((manual.error as Error).message).toMatch(
      /^Refresh has had no answer for 10 s\. The session is kept: the call goes on/,
    )
    // Every trigger meanwhile joins the call in flight.
    const again = settle(session.refresh())
    focusManager.onFocus()
    await advance(200)
    expect(server.state.counters.refreshes).toBe(1)

    await advance(1_000)
    expect(request.value?.status).toBe(200)
    expect(again.value).toBe(session.getState().accessToken)
    expect(server.state.counters).toMatchObject({ refreshes: 1, refreshesOk: 1, reuse: 0 })
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: null })
  })

  it('aborts a call with no answer after maxRefreshCallMs and only then tries again', async () => {
    installFakeClock()
    const { server, session } = createHarness({ session: { maxRefreshCallMs: 30_000 } })
    server.failNextRefresh('timeout')
    void session.refresh().catch(() => undefined)
    await advance(29_000)
    expect(server.state.counters.refreshes).toBe(1)
    await advance(3_000)
    expect(server.state.counters.refreshes).toBe(2)
    expect(session.getState().status).toBe('authenticated')
  })

  it('gives up on a refresh function that never settles after maxRefreshCallMs: aborts its signal, keeps the tokens and calls it again', async () => {
    installFakeClock()
    const signals: AbortSignal[] = []
    const hanging: RefreshFn = (_refreshToken, { signal }) => {
      signals.push(signal)
      return new Promise<TokenPair>(() => undefined)
    }
    const { session, events } = createHarness({
      session: { refresh: hanging, maxRefreshCallMs: 30_000 },
    })
    void session.refresh().catch(() => undefined)
    await advance(29_000)
    expect(signals.map((signal) => signal.aborted)).toEqual([false])

    await advance(2_000)
    expect(signals[0]?.aborted).toBe(true)
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'refresh-failed', transient: true }),
    )
    expect(session.getState().accessToken).not.toBeNull()
    await advance(2_000)
    expect(signals).toHaveLength(2)
  })

  it('adopts a 15 s answer through an adapter the app made itself: no timeout of its own cuts the call short', async () => {
    installFakeClock()
    const { server, session } = createHarness({
      session: { refresh: createRefreshAdapter({ baseURL: API }) },
    })
    server.failNextRefresh({ slowMs: 15_000 })
    void session.refresh().catch(() => undefined)
    await advance(16_000)
    expect(server.state.counters).toMatchObject({ refreshes: 1, refreshesOk: 1, reuse: 0 })
    expect(session.getState()).toMatchObject({ status: 'authenticated', refreshCount: 1 })
  })

  it.each([
    [15_000, 20_000],
    // Past the 60 s that calls are kept by default: refreshTimeoutMs raises the adapter's limit too.
    [70_000, 90_000],
  ])(
    'gives the default adapter the session timing: a %i ms answer is adopted with refreshTimeoutMs %i',
    async (slowMs, refreshTimeoutMs) => {
      installFakeClock()
      const { server, session } = createHarness({ session: { refreshTimeoutMs } })
      server.failNextRefresh({ slowMs })
      const manual = settle(session.refresh())
      await advance(slowMs + 1_000)
      expect(manual.value).toBe(session.getState().accessToken)
      expect(server.state.counters).toMatchObject({ refreshes: 1, refreshesOk: 1, reuse: 0 })
    },
  )
})

describe('Retry-After holds every trigger', () => {
  it('refuses focus, visibility, online, refresh() and requests at once within the window', async () => {
    installFakeClock()
    const { server, session, client } = createHarness()
    session.start()
    server.state.retryAfter = '3600'
    server.failNextRefresh(429)
    await session.refresh().catch(() => undefined)
    expect(server.state.counters.refreshes).toBe(1)
    vi.advanceTimersByTime(301_000)

    focusManager.onFocus()
    focusManager.setVisible(false)
    focusManager.setVisible(true)
    onlineManager.setOnline(false)
    onlineManager.setOnline(true)
    const manual = settle(session.refresh())
    const request = settle(client.get('/api/v1/data'))
    await advance(1_000)

    expect(server.state.counters.refreshes).toBe(1)
    for (const refused of [manual, request]) {
      expect(refused.error).toBeInstanceOf(RefreshFailedError)
      expect((refused.error as Error).message).toMatch(
        /^Refreshing is held until \d{4}-\d\d-\d\dT[\d:.]+Z because the server answered with Retry-After; the next attempt is allowed in 32\d\d(\.\d)? s\./,
      )
    }
    expect(session.getState().status).toBe('authenticated')

    // The window ends 3 600 s after the 429, which came at 0 s; it is 301 s now.
    await advance(3_300_000, 60_000)
    expect(server.state.counters.refreshes).toBe(2)
    expect((await client.get('/api/v1/data')).status).toBe(200)
  })

  it('lets a request wait out a Retry-After that ends within its hold, with no call meanwhile', async () => {
    installFakeClock()
    const { server, client } = createHarness()
    vi.advanceTimersByTime(301_000)
    server.state.retryAfter = '3'
    server.failNextRefresh(429)
    const request = settle(client.get('/api/v1/data'))
    await advance(2_500)
    expect(request.done).toBe(false)
    expect(server.state.counters.refreshes).toBe(1)
    await advance(1_500)
    expect(request.value?.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(2)
  })

  it('holds again when the attempt after a Retry-After is answered with another', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    server.state.retryAfter = '10'
    server.failNextRefresh(429, 429)
    await session.refresh().catch(() => undefined)
    // The retry at the end of the first window meets the second 429.
    await advance(11_000, 1_000)
    expect(server.state.counters.refreshes).toBe(2)

    const manual = await session.refresh().catch((e: unknown) => e)
    expect(manual).toBeInstanceOf(RefreshFailedError)
    expect((manual as RefreshFailedError).retryAfterMs).toBeGreaterThan(8_000)
    expect(server.state.counters.refreshes).toBe(2)
  })

  it('fails a request waiting out a backoff at once when the retry is given a Retry-After longer than its wait', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    vi.advanceTimersByTime(301_000)
    server.failNextRefresh(503)
    await session.refresh().catch(() => undefined)
    server.state.retryAfter = '120'
    server.failNextRefresh(429)

    const token = settle(session.getAccessToken({ timeoutMs: 30_000 }))
    await advance(2_000, 100)

    expect(server.state.counters.refreshes).toBe(2)
    expect(token.error).toBeInstanceOf(RefreshFailedError)
    expect((token.error as RefreshFailedError).retryAfterMs).toBeGreaterThan(110_000)
  })

  it('reads an HTTP-date Retry-After', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    server.state.retryAfter = new Date(Date.now() + 120_000).toUTCString()
    server.failNextRefresh(503)
    const error = await session.refresh().catch((e: unknown) => e)
    expect((error as RefreshFailedError).retryAfterMs).toBe(120_000)
    await advance(119_000, 1_000)
    expect(server.state.counters.refreshes).toBe(1)
    await advance(2_000)
    expect(server.state.counters.refreshes).toBe(2)
  })
})

describe('an unusable refresh answer fails fast', () => {
  const cases: [string, (current: TokenPair) => TokenPair][] = [
    ['the very token the server just rejected', (current) => ({ ...current, refreshToken: 'r2' })],
    [
      'a token already expired by the server clock',
      () => ({ accessToken: tokenFor(Date.now() - 600_000), refreshToken: 'r2' }),
    ],
    [
      'an exp too large for a Date',
      () => ({ accessToken: makeJwt({ sub: 'u', iat: 1, exp: 1e300 }), refreshToken: 'r2' }),
    ],
  ]

  it.each(cases)(
    '%s: a typed error at once, and the rotated refresh token is kept',
    async (_name, answer) => {
      installFakeClock()
      const current = { accessToken: tokenFor(Date.now()), refreshToken: 'r1' }
      const sent: (string | null)[] = []
      const session = createAuthSession({
        storage: createMemoryStorage(),
        channel: null,
        refresh: async (refreshToken) => {
          sent.push(refreshToken)
          return answer(current)
        },
      })
      session.setTokens(current)
      const held = settle(session.getAccessToken({ rejectedToken: current.accessToken }))
      await advance(100, 100)
      expect(held.error).toBeInstanceOf(InvalidRefreshResponseError)
      expect((held.error as Error).message).toMatch(
        /^The refresh answered with an access token that cannot be used: /,
      )
      expect(session.getState()).toMatchObject({ status: 'authenticated', refreshToken: 'r2' })
      expect(session.getState().expiresAt).not.toBeNull()
      await advance(2_000)
      // The retry presents the rotated refresh token, never the spent one.
      expect(sent[1]).toBe('r2')
      expect(sent.filter((token) => token === 'r1')).toHaveLength(1)
      session.destroy()
    },
  )
  it('keeps what made an unreadable answer unusable as the cause', async () => {
    installFakeClock()
    const accessToken = makeJwt({ sub: 'u', iat: 1, exp: 1e300 })
    const { session } = sessionWith(async () => ({ accessToken, refreshToken: 'r2' }))
    const error = await session.refresh().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    const { cause } = error as InvalidRefreshResponseError
    expect(cause).toBeInstanceOf(Error)
    expect((error as Error).message).toContain((cause as Error).message)
    session.destroy()
  })
})

describe('an unusable refresh answer, further', () => {
  it('keeps the rotated refresh token on disk too: a reload presents it, never the spent one', async () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const current = { accessToken: tokenFor(Date.now()), refreshToken: 'r1' }
    const sent: (string | null)[] = []
    const open = () =>
      createAuthSession({
        storage,
        channel: null,
        refresh: async (refreshToken) => {
          sent.push(refreshToken)
          // First the very token it was meant to replace, with a rotated refresh token.
          return sent.length === 1
            ? { ...current, refreshToken: 'r2' }
            : { accessToken: tokenFor(Date.now()), refreshToken: 'r3' }
        },
      })
    const first = open()
    first.setTokens(current)
    await expect(first.refresh()).rejects.toBeInstanceOf(InvalidRefreshResponseError)
    first.destroy()

    const reloaded = open()
    await reloaded.refresh()
    expect(sent).toEqual(['r1', 'r2'])
    expect(reloaded.getState()).toMatchObject({ status: 'authenticated', refreshToken: 'r3' })
    reloaded.destroy()
  })

  it('keeps no refresh token from it in cookie mode, where none may live in JS', async () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const accessToken = tokenFor(Date.now())
    const session = createAuthSession({
      storage,
      channel: null,
      refreshCredential: 'cookie',
      refresh: async () => ({ accessToken, refreshToken: 'rt-a-backend-put-in-the-body' }),
    })
    session.setTokens({ accessToken })
    await expect(session.refresh()).rejects.toBeInstanceOf(InvalidRefreshResponseError)
    expect(session.getState().refreshToken).toBeNull()
    expect(storage.getItem('token-refresh-kit')).not.toContain('rt-a-backend')
    session.destroy()
  })

  it('refuses the very token a manual refresh() was meant to replace', async () => {
    installFakeClock()
    let held = ''
    const { session } = sessionWith(async () => ({ accessToken: held, refreshToken: 'r2' }))
    held = session.getState().accessToken!
    await expect(session.refresh()).rejects.toBeInstanceOf(InvalidRefreshResponseError)
    expect(session.getState()).toMatchObject({ status: 'authenticated', refreshToken: 'r2' })
    session.destroy()
  })

  it('is adopted by a tab whose clock runs 10 min ahead, signed in by another tab and then by its own refreshes', async () => {
    installFakeClock()
    const { channel, deliver } = createListenedChannel()
    const ahead = () => Date.now() + 600_000
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel,
      now: ahead,
      // Tokens on the server's clock.
      refresh: async () => ({ accessToken: tokenFor(Date.now()), refreshToken: 'r2' }),
    })
    const record = {
      accessToken: tokenFor(Date.now()),
      refreshToken: 'r1',
      expiresAt: ahead() + 300_000,
      lifetimeMs: 300_000,
    }
    deliver({ type: 'tokens', record, signIn: true })
    expect(session.getState().status).toBe('authenticated')

    const first = await session.refresh()
    vi.advanceTimersByTime(1_000)
    const second = await session.refresh()
    expect(session.getState()).toMatchObject({ status: 'authenticated', accessToken: second })
    expect(second).not.toBe(first)
    session.destroy()
  })

  it('is judged by the server clock read from tokens this tab obtained, not from an old one another tab sent', async () => {
    installFakeClock()
    const { channel, deliver } = createListenedChannel()
    let answer: TokenPair = { accessToken: '' }
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel,
      refresh: async () => answer,
    })
    // Signed in here: the server's clock reads as ours.
    session.setTokens({ accessToken: tokenFor(Date.now()), refreshToken: 'r1' })
    vi.advanceTimersByTime(100_000)
    // Another tab's refresh of 50 s ago, whose message arrives only now.
    const late = tokenFor(Date.now() - 50_000)
    const record = {
      accessToken: late,
      refreshToken: 'r2',
      expiresAt: Date.now() + 250_000,
      lifetimeMs: 300_000,
    }
    deliver({ type: 'tokens', record, signIn: false })
    expect(session.getState().accessToken).toBe(late)

    // Expired 10 s ago by the server's clock.
    answer = { accessToken: tokenFor(Date.now() - 310_000), refreshToken: 'r3' }
    const refused = await session.refresh().catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(InvalidRefreshResponseError)
    expect((refused as Error).message).toMatch(/it expired 10 s ago by the server's clock/)
    expect(session.getState().accessToken).toBe(late)
    session.destroy()
  })
})

describe('the breaker judges each refresh by the limit that applied to it', () => {
  it('6 s tokens for a minute, then 300 s tokens and a manual refresh: no breaker', async () => {
    installFakeClock()
    const { server, session } = createHarness({ ttlSeconds: 6 })
    session.start()
    await advance(60_000, 100)
    const before = server.state.counters.refreshes
    expect(before).toBeGreaterThanOrEqual(10)
    server.state.ttlSeconds = 300
    await session.refresh()
    await session.refresh()
    expect(server.state.counters.refreshes).toBe(before + 2)
    server.failNextRefresh(500)
    const failure = await session.refresh().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(RefreshFailedError)
    expect(failure).not.toBeInstanceOf(RefreshLoopError)
  })

  it('names the short token lifetime as the cause when no one reason drove the refreshes', async () => {
    installFakeClock()
    const { session } = createHarness({ ttlSeconds: 6 })
    session.start()
    await advance(40_000, 100)
    let error: unknown
    for (let i = 0; i < 30 && !error; i++)
      await session.refresh().catch((e: unknown) => (error = e))
    expect(error).toBeInstanceOf(RefreshLoopError)
    expect((error as Error).message).toMatch(
      /The tokens live only 6 s: have the server issue tokens that live longer\.$/,
    )
  })

  it('names refresh() calls as the cause when they trip it', async () => {
    installFakeClock()
    const { session } = createHarness()
    let error: unknown
    for (let i = 0; i < 12 && !error; i++)
      await session.refresh().catch((e: unknown) => (error = e))
    expect(error).toBeInstanceOf(RefreshLoopError)
    expect((error as Error).message).toMatch(
      /10 of them were refresh\(\) calls: call it less often\./,
    )
  })
  it('names each reason when one other than 401s and refresh() calls drove most of them', async () => {
    installFakeClock()
    const { session } = createHarness()
    const tester = createDevtoolsHandle(session)
    for (let i = 0; i < 6; i++) {
      tester.forceExpire()
      const token = settle(session.getAccessToken())
      await advance(100, 100)
      expect(token.value).toBe(session.getState().accessToken)
    }
    for (let i = 0; i < 4; i++) await session.refresh()
    const error = await session.refresh().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefreshLoopError)
    expect((error as Error).message).toMatch(
      /They were 6 for a token already expired, 4 refresh\(\) calls\.$/,
    )
  })

  it.each([
    [20, 'manual', /The tokens live only 20 s: have the server issue tokens that live longer\./],
    [300, 'unauthorized', /They were 5 after a 401, 5 refresh\(\) calls\.$/],
    // 30 s is long enough: not named as the cause.
    [30, 'manual', /They were 5 refresh\(\) calls, 5 after a 401\.$/],
  ] as const)(
    'names the short tokens, or else each cause, when no one cause drove half of them (%i s tokens), and keeps the session',
    async (ttlSeconds, first, cause) => {
      installFakeClock()
      const { session, events } = createHarness({ ttlSeconds })
      const byRefresh = () => session.refresh()
      const by401 = async () => {
        const token = settle(
          session.getAccessToken({ rejectedToken: session.getState().accessToken! }),
        )
        await advance(100, 100)
        expect(token.value).toBe(session.getState().accessToken)
      }
      const [a, b] = first === 'manual' ? [byRefresh, by401] : [by401, byRefresh]
      for (let i = 0; i < 5; i++) await a()
      for (let i = 0; i < 5; i++) await b()

      const error = await session.refresh().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RefreshLoopError)
      expect((error as Error).message).toMatch(cause)
      expect(events.at(-1)).toMatchObject({ type: 'refresh-failed', error, transient: true })
      expect(events.at(-1)).toHaveProperty('retryInMs', expect.any(Number))
      expect(session.getState().status).toBe('authenticated')
    },
  )
})

describe('the breaker found full only inside the lock', () => {
  it('keeps the session, shows the breaker error and says when refreshing resumes: no backoff retry', async () => {
    installFakeClock()
    const { channel, deliver } = createListenedChannel()
    // Another tab holds the lock until `release` is called.
    let release: (() => void) | null = null
    const coordinator: RefreshCoordinator = {
      async runExclusive(_name, fn) {
        if (release) await new Promise<void>((resolve) => (release = resolve))
        return fn()
      },
    }
    const { server, session, events } = createHarness({
      ttlSeconds: 6,
      session: { channel, coordinator },
    })
    // 19 refreshes of 6 s tokens: one short of the breaker's limit of 20 a minute for them.
    for (let i = 0; i < 19; i++) await session.refresh()
    release = () => undefined
    const twentieth = settle(session.refresh())
    await flush()
    expect(session.getState().status).toBe('refreshing')
    // Meanwhile the other tab's late message: a 300 s token (limit 10 a minute) already due.
    const record = {
      accessToken: tokenFor(Date.now() - 250_000),
      refreshToken: 'refresh-other-tab',
      expiresAt: Date.now() + 50_000,
      lifetimeMs: 300_000,
    }
    deliver({ type: 'tokens', record, signIn: false })
    expect(session.getState().accessToken).toBe(record.accessToken)
    ;(release as () => void)()
    await flush()

    expect(twentieth.error).toBeInstanceOf(RefreshLoopError)
    expect(server.state.counters.refreshes).toBe(19)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: twentieth.error })
    expect(events.at(-1)).toMatchObject({
      type: 'refresh-failed',
      error: twentieth.error,
      transient: true,
      // The 19 refreshes leave the window a minute after they were made, not after a backoff.
      retryInMs: 60_000,
    })
    await advance(30_000, 1_000)
    expect(server.state.counters.refreshes).toBe(19)
  })
})

describe('destroy()', () => {
  it('releases the timers, the channel, the wake-up subscriptions and the listeners', async () => {
    installFakeClock()
    const close = vi.fn()
    const { channel, listeners } = createListenedChannel({ close })
    const refresh = vi.fn<RefreshFn>(async () => ({
      accessToken: tokenFor(Date.now()),
      refreshToken: 'r',
    }))
    const session = createAuthSession({ storage: createMemoryStorage(), channel, refresh })
    const events: AuthEvent[] = []
    session.onEvent((event) => events.push(event))
    session.setTokens({ accessToken: tokenFor(Date.now()), refreshToken: 'r' })
    session.start()
    expect(listeners.size).toBe(1)
    expect(vi.getTimerCount()).toBeGreaterThan(0)

    session.destroy()

    expect(vi.getTimerCount()).toBe(0)
    expect(listeners.size).toBe(0)
    // The channel was the caller's: the caller closes it.
    expect(close).not.toHaveBeenCalled()
    const seen = events.length
    await advance(600_000, 30_000)
    // The token has expired: a wake-up that still reached the session would refresh it.
    focusManager.onFocus()
    focusManager.setVisible(false)
    focusManager.setVisible(true)
    onlineManager.setOnline(false)
    onlineManager.setOnline(true)
    await advance(1_000)
    expect(refresh).not.toHaveBeenCalled()
    expect(events).toHaveLength(seen)
    expect(() => session.start()).toThrow(/start\(\) after destroy\(\)/)
    await flush()
  })

  it('leaves a tabStore the caller passed open: the caller closes it', () => {
    installFakeClock()
    const values = new Map<string, string>()
    const close = vi.fn()
    const tabStore = {
      get: async (key: string) => values.get(key) ?? null,
      set: async (key: string, value: string) => void values.set(key, value),
      remove: async (key: string) => void values.delete(key),
      update: async (key: string, next: (value: string | null) => string | null) => {
        const value = next(values.get(key) ?? null)
        if (value === null) values.delete(key)
        else values.set(key, value)
        return value
      },
      close,
    }
    const { session } = createHarness({ session: { tabStore } })

    session.destroy()

    expect(close).not.toHaveBeenCalled()
  })

  it('leaves no timer behind once a refresh call has answered', async () => {
    installFakeClock()
    const { session } = sessionWith(async () => ({
      accessToken: tokenFor(Date.now()),
      refreshToken: 'r2',
    }))
    await session.refresh()
    session.destroy()
    expect(vi.getTimerCount()).toBe(0)
  })
})
