import { HttpResponse, delay, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  HttpFailure,
  InvalidRefreshResponseError,
  RefreshFailedError,
  RefreshRejectedError,
  createAuthSession,
  createMemoryStorage,
  createRefreshAdapter,
  createRevokeAdapter,
  createSlidingRefreshAdapter,
  mapTokenResponse,
  type AuthEvent,
  type TokenPair,
} from '../../../src/core'
import { API, mswServer } from './support/authServer'
import { advance, installFakeClock, settle, setupTestServer } from './support/harness'
import { makeJwt } from './support/jwt'

const context = () => ({ signal: new AbortController().signal, accessToken: null })

setupTestServer()

const access = makeJwt({ sub: 'u', iat: 1, exp: 301 })
const secret = 'r-very-secret-refresh-token'

describe('createRefreshAdapter', () => {
  it('speaks the contract: POST /api/v1/auth/refresh with { refresh_token }', async () => {
    let body: unknown
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, async ({ request }) => {
        body = await request.json()
        return HttpResponse.json({
          access_token: access,
          refresh_token: 'r2',
          token_type: 'bearer',
          expires_in: 300,
        })
      }),
    )
    const refresh = createRefreshAdapter({ baseURL: API })
    await expect(refresh(secret, context())).resolves.toEqual({
      accessToken: access,
      refreshToken: 'r2',
      expiresIn: 300,
    })
    expect(body).toEqual({ refresh_token: secret })
  })

  it('maps the { success, token, user } shape with mapResponse', async () => {
    mswServer.use(
      http.post(`${API}/auth/refresh-token`, () =>
        HttpResponse.json({ success: true, token: access, user: { id: 1 } }),
      ),
    )
    const refresh = createRefreshAdapter({
      baseURL: API,
      url: '/auth/refresh-token',
      body: (refreshToken) => ({ refreshToken }),
      mapResponse: (data) => {
        const answer = data as { success: boolean; token: string }
        if (!answer.success) throw new Error('refused')
        return { accessToken: answer.token, expiresIn: 900 }
      },
    })
    await expect(refresh(secret, context())).resolves.toEqual({
      accessToken: access,
      expiresIn: 900,
    })
  })

  it('accepts a 201 from /auth/token with a cookie-held refresh token', async () => {
    let cookieMode: string | null = null
    mswServer.use(
      http.post(`${API}/auth/token`, ({ request }) => {
        cookieMode = request.headers.get('x-mode')
        return HttpResponse.json({ accessToken: access, expiresIn: 300 }, { status: 201 })
      }),
    )
    const refresh = createRefreshAdapter({
      baseURL: API,
      url: '/auth/token',
      withCredentials: true,
      headers: { 'x-mode': 'cookie' },
      body: () => ({ grant_type: 'refresh_token' }),
    })
    await expect(refresh(null, context())).resolves.toEqual({ accessToken: access, expiresIn: 300 })
    expect(cookieMode).toBe('cookie')
  })

  it('drives a session end to end through a custom endpoint and shape', async () => {
    mswServer.use(
      http.post(`${API}/auth/refresh-token`, () =>
        HttpResponse.json({ success: true, token: makeJwt({ sub: 'u', iat: 5, exp: 305 }) }),
      ),
    )
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh: createRefreshAdapter({
        baseURL: API,
        url: '/auth/refresh-token',
        mapResponse: (data) => ({ accessToken: (data as { token: string }).token }),
      }),
    })
    session.setTokens({ accessToken: access, refreshToken: secret })
    await session.refresh()
    expect(session.getState()).toMatchObject({ refreshCount: 1, refreshToken: secret })
  })

  it.each([
    [400, RefreshRejectedError],
    [401, RefreshRejectedError],
    [403, RefreshRejectedError],
    [422, RefreshRejectedError],
    [408, RefreshFailedError],
    [429, RefreshFailedError],
    [500, RefreshFailedError],
    [502, RefreshFailedError],
  ])(
    'classifies a %i as %o, with a message that names the call and no token',
    async (status, type) => {
      mswServer.use(
        http.post(`${API}/api/v1/auth/refresh`, () =>
          HttpResponse.json({ detail: 'no' }, { status }),
        ),
      )
      const error = await createRefreshAdapter({ baseURL: API })(secret, context()).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(type)
      expect((error as RefreshFailedError).status).toBe(status)
      expect((error as Error).message).toContain(`POST /api/v1/auth/refresh`)
      expect(
        JSON.stringify({
          message: (error as Error).message,
          cause: String((error as Error).cause),
        }),
      ).not.toContain(secret)
    },
  )

  it('reads Retry-After in seconds', async () => {
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, () =>
        HttpResponse.json({}, { status: 429, headers: { 'Retry-After': '7' } }),
      ),
    )
    const error = (await createRefreshAdapter({ baseURL: API })(secret, context()).catch(
      (e: unknown) => e,
    )) as RefreshFailedError
    expect(error.retryAfterMs).toBe(7000)
    expect(error.message).toBe('Refresh was rate limited (429): POST /api/v1/auth/refresh.')
  })

  it('reads an HTTP-date Retry-After as the time left until that date', async () => {
    installFakeClock(Date.UTC(2026, 0, 1, 9))
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, () =>
        HttpResponse.json(
          {},
          { status: 503, headers: { 'Retry-After': 'Thu, 01 Jan 2026 09:00:45 GMT' } },
        ),
      ),
    )
    const error = (await createRefreshAdapter({ baseURL: API })(secret, context()).catch(
      (e: unknown) => e,
    )) as RefreshFailedError
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(error.retryAfterMs).toBe(45_000)
  })

  it('classifies a network error as transient', async () => {
    mswServer.use(http.post(`${API}/api/v1/auth/refresh`, () => HttpResponse.error()))
    const error = await createRefreshAdapter({ baseURL: API })(secret, context()).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect((error as RefreshFailedError).status).toBeUndefined()
    expect((error as Error).message).toBe(
      'Refresh failed with a network error (Failed to fetch): POST /api/v1/auth/refresh.',
    )
  })

  it.each([
    [
      'an HTML page',
      () => new HttpResponse('<html></html>', { headers: { 'Content-Type': 'text/html' } }),
      /is not JSON/,
    ],
    ['an empty 204', () => new HttpResponse(null, { status: 204 }), /is not JSON/],
    ['JSON without a token', () => HttpResponse.json({ ok: true }), /holds no access token/],
  ])('refuses %s with InvalidRefreshResponseError', async (_name, answer, message) => {
    mswServer.use(http.post(`${API}/api/v1/auth/refresh`, answer))
    const error = await createRefreshAdapter({ baseURL: API })(secret, context()).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    expect((error as Error).message).toMatch(message)
  })

  it('wraps a mapResponse that throws', async () => {
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, () => HttpResponse.json({ success: false })),
    )
    const error = await createRefreshAdapter({
      baseURL: API,
      mapResponse: () => {
        throw new Error('refused')
      },
    })(secret, context()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    expect((error as Error).message).toMatch(
      /^mapResponse threw on the refresh answer: POST \/api\/v1\/auth\/refresh answered 200/,
    )
  })

  it('lets a mapResponse that throws RefreshRejectedError end the session', async () => {
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, () =>
        HttpResponse.json({ success: false, reason: 'session revoked' }),
      ),
    )
    const rejected = new RefreshRejectedError('The server revoked this session: sign in again.')
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh: createRefreshAdapter({
        baseURL: API,
        mapResponse: (data) => {
          if ((data as { success: boolean }).success) return { accessToken: 'never' }
          throw rejected
        },
      }),
    })
    const failures: AuthEvent[] = []
    session.onEvent((event) => {
      if (event.type === 'refresh-failed') failures.push(event)
    })
    session.setTokens({ accessToken: access, refreshToken: secret })
    await expect(session.refresh()).rejects.toBe(rejected)
    expect(failures).toEqual([expect.objectContaining({ transient: false, retryInMs: null })])
    expect(session.getState()).toMatchObject({
      status: 'ended',
      endReason: 'refresh-rejected',
      accessToken: null,
    })
  })
})

describe('createRefreshAdapter on fetch', () => {
  it('sends a URLSearchParams body form-encoded, for OAuth-style endpoints', async () => {
    let seen: { type: string | null; body: string } | null = null
    mswServer.use(
      http.post(`${API}/oauth/token`, async ({ request }) => {
        seen = { type: request.headers.get('content-type'), body: await request.text() }
        return HttpResponse.json({ access_token: access, expires_in: 300 })
      }),
    )
    const refresh = createRefreshAdapter({
      baseURL: API,
      url: '/oauth/token',
      body: (refreshToken) =>
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken ?? '' }),
    })
    await refresh(secret, context())
    expect(seen).toEqual({
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: `grant_type=refresh_token&refresh_token=${secret}`,
    })
  })

  it('calls the fetch it is given, and hands mapResponse the fetch Response', async () => {
    const calls: string[] = []
    const refresh = createRefreshAdapter({
      baseURL: 'https://auth.example',
      fetch: async (input, init) => {
        calls.push(`${init?.method} ${String(input)}`)
        return Response.json({ token: access }, { headers: { 'x-expires': '120' } })
      },
      mapResponse: (data, response) => ({
        accessToken: (data as { token: string }).token,
        expiresIn: Number(response.headers.get('x-expires')),
      }),
    })
    await expect(refresh(secret, context())).resolves.toEqual({
      accessToken: access,
      expiresIn: 120,
    })
    expect(calls).toEqual(['POST https://auth.example/api/v1/auth/refresh'])
  })

  it('gives up after timeoutMs with a transient error that names the call', async () => {
    installFakeClock()
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, async () => {
        await delay('infinite')
        return HttpResponse.json({})
      }),
    )
    const call = settle(createRefreshAdapter({ baseURL: API, timeoutMs: 5_000 })(secret, context()))
    await advance(4_500)
    expect(call.done).toBe(false)
    await advance(1_000)
    expect(call.error).toBeInstanceOf(RefreshFailedError)
    expect((call.error as Error).message).toBe(
      'Refresh failed with a network error (ETIMEDOUT): POST /api/v1/auth/refresh.',
    )
  })
})

describe('logout', () => {
  it('revokes on the server with Bearer and { refresh_token }, and ends the session', async () => {
    let seen: { auth: string | null; body: unknown } | null = null
    mswServer.use(
      http.post(`${API}/api/v1/auth/logout`, async ({ request }) => {
        seen = { auth: request.headers.get('authorization'), body: await request.json() }
        return HttpResponse.json({}, { status: 500 })
      }),
    )
    const storage = createMemoryStorage()
    const session = createAuthSession({ baseURL: API, storage, channel: null })
    session.setTokens({ accessToken: access, refreshToken: secret })
    await session.logout()
    expect(seen).toEqual({ auth: `Bearer ${access}`, body: { refresh_token: secret } })
    expect(session.getState()).toMatchObject({
      status: 'ended',
      endReason: 'logout',
      accessToken: null,
    })
    expect(storage.getItem('token-refresh-kit')).toBeNull()
  })
})

describe('createRefreshAdapter: what it sends and what it accepts', () => {
  /** A transport that records what the adapter hands it and answers `answer`. */
  function recordingFetch(answer: () => Response = () => Response.json({ token: access })) {
    const sent: RequestInit[] = []
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      sent.push(init ?? {})
      return answer()
    }
    return { sent, fetch }
  }

  it('asks for JSON and labels the JSON body it sends', async () => {
    let seen: { accept: string | null; type: string | null } | null = null
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, ({ request }) => {
        seen = {
          accept: request.headers.get('accept'),
          type: request.headers.get('content-type'),
        }
        return HttpResponse.json({ access_token: access })
      }),
    )
    await createRefreshAdapter({ baseURL: API })(secret, context())
    expect(seen).toEqual({ accept: 'application/json', type: 'application/json' })
  })

  it.each(['get', 'HEAD'])('sends a %s refresh without a body', async (method) => {
    const { sent, fetch } = recordingFetch()
    await expect(createRefreshAdapter({ method, fetch })(secret, context())).resolves.toEqual({
      accessToken: access,
    })
    expect(sent).toHaveLength(1)
    expect(sent[0]?.method).toBe(method.toUpperCase())
    expect(sent[0]?.body).toBeNull()
    expect(new Headers(sent[0]?.headers).get('content-type')).toBeNull()
  })

  it('sends cookies only with withCredentials', async () => {
    const { sent, fetch } = recordingFetch()
    await createRefreshAdapter({ fetch })(secret, context())
    await createRefreshAdapter({ fetch, withCredentials: true })(secret, context())
    expect(sent.map((init) => init.credentials)).toEqual(['same-origin', 'include'])
  })

  it('leaves no timer running once the answer is in', async () => {
    installFakeClock()
    const { fetch } = recordingFetch()
    await createRefreshAdapter({ fetch, timeoutMs: 60_000 })(secret, context())
    expect(vi.getTimerCount()).toBe(0)
  })

  it.each([
    ['null', () => HttpResponse.json(null), /^The refresh answer is not JSON/],
    [
      'a number as access_token',
      () => HttpResponse.json({ access_token: 12345, expires_in: 300 }),
      /^The refresh answer holds no access token/,
    ],
    [
      'an empty access_token',
      () => HttpResponse.json({ access_token: '', expires_in: 300 }),
      /^The refresh answer holds no access token/,
    ],
  ])('refuses an answer of %s with InvalidRefreshResponseError', async (_name, answer, message) => {
    mswServer.use(http.post(`${API}/api/v1/auth/refresh`, answer))
    const error = await createRefreshAdapter({ baseURL: API })(secret, context()).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    expect((error as Error).message).toMatch(message)
  })

  it('refuses a mapResponse that returns nothing with InvalidRefreshResponseError', async () => {
    const { fetch } = recordingFetch()
    const error = await createRefreshAdapter({
      fetch,
      mapResponse: () => undefined as unknown as TokenPair,
    })(secret, context()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    expect((error as Error).message).toMatch(/^The refresh answer holds no access token/)
  })

  it('keeps what mapResponse threw as the cause', async () => {
    const { fetch } = recordingFetch()
    const thrown = new Error('unexpected shape')
    const error = await createRefreshAdapter({
      fetch,
      mapResponse: () => {
        throw thrown
      },
    })(secret, context()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    expect((error as Error).cause).toBe(thrown)
  })
})

describe('mapTokenResponse', () => {
  it('reads the contract and the camelCase variant', () => {
    expect(
      mapTokenResponse({ access_token: 'a', refresh_token: 'r', expires_in: 300 }),
    ).toStrictEqual({ accessToken: 'a', refreshToken: 'r', expiresIn: 300 })
    expect(mapTokenResponse({ accessToken: 'a', refreshToken: 'r', expiresIn: 60 })).toStrictEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 60,
    })
  })

  it('leaves out a refresh token that is not a string and an expires_in that is not a number', () => {
    expect(
      mapTokenResponse({ access_token: 'a', refresh_token: 42, expires_in: 'soon' }),
    ).toStrictEqual({ accessToken: 'a' })
    expect(mapTokenResponse({ token: 'a' })).toStrictEqual({ accessToken: 'a' })
  })
})

describe('createRefreshAdapter: what a failed answer tells', () => {
  const failWith = async (answer: () => Response) => {
    mswServer.use(http.post(`${API}/api/v1/auth/refresh`, answer))
    return (await createRefreshAdapter({ baseURL: API })(secret, context()).catch(
      (e: unknown) => e,
    )) as RefreshFailedError
  }

  it.each([
    ['a blank one', '', undefined],
    ['one that is neither seconds nor a date', 'soon', undefined],
    ['a day, as an hour', '86400', 3_600_000],
  ])('reads Retry-After: %s', async (_name, header, expected) => {
    const error = await failWith(() =>
      HttpResponse.json({}, { status: 429, headers: { 'Retry-After': header } }),
    )
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(error.retryAfterMs).toBe(expected)
  })

  it('keeps the server’s words trimmed, and at most 200 characters of them', async () => {
    const words = (length: number) => 'the upstream is down. '.repeat(20).slice(0, length)
    const detailOf = async (body: string) =>
      ((await failWith(() => new HttpResponse(body, { status: 503 }))).cause as HttpFailure).detail
    expect(await detailOf('  Service Unavailable\n')).toBe('Service Unavailable')
    expect(await detailOf(' \n ')).toBeUndefined()
    expect(await detailOf(words(200))).toBe(words(200))
    expect(await detailOf(words(300))).toBe(`${words(200)}…`)
  })

  it('reads the server’s words from the first of detail, error_description, message and error that is text', async () => {
    const rejected = await failWith(() =>
      HttpResponse.json(
        { detail: [{ loc: ['body'], msg: 'field required' }], message: 'refresh_token missing' },
        { status: 422 },
      ),
    )
    expect(rejected).toBeInstanceOf(RefreshRejectedError)
    expect(rejected.cause).toMatchObject({
      method: 'POST',
      path: '/api/v1/auth/refresh',
      status: 422,
      detail: 'refresh_token missing',
    })
    const empty = await failWith(() =>
      HttpResponse.json({ detail: '', error: 'invalid_request' }, { status: 400 }),
    )
    expect((empty.cause as HttpFailure).detail).toBe('invalid_request')
  })

  it.each([
    ['nothing for undefined', undefined, null, ''],
    ['nothing for null', null, null, ''],
    ['a string as it is', 'grant=refresh', 'text/plain;charset=UTF-8', 'grant=refresh'],
    [
      'a Blob with its type',
      new Blob(['{"t":1}'], { type: 'application/x-t' }),
      'application/x-t',
      '{"t":1}',
    ],
    ['an ArrayBuffer as bytes', new TextEncoder().encode('raw').buffer, null, 'raw'],
    ['a typed array as bytes', new TextEncoder().encode('view'), null, 'view'],
    ['an object as JSON', { refreshToken: 'r' }, 'application/json', '{"refreshToken":"r"}'],
  ])('sends the body its `body` returns as axios would: %s', async (_name, value, type, text) => {
    const seen: { type: string | null; text: string }[] = []
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, async ({ request }) => {
        seen.push({ type: request.headers.get('content-type'), text: await request.text() })
        return HttpResponse.json({ access_token: access, refresh_token: 'r2', expires_in: 300 })
      }),
    )

    await createRefreshAdapter({ baseURL: API, body: () => value })(secret, context())

    expect(seen).toEqual([{ type, text }])
  })

  it('sends FormData as multipart, its boundary set by fetch', async () => {
    const seen: (string | null)[] = []
    mswServer.use(
      http.post(`${API}/api/v1/auth/refresh`, async ({ request }) => {
        const form = await request.formData()
        seen.push(request.headers.get('content-type'), String(form.get('refresh_token')))
        return HttpResponse.json({ access_token: access, refresh_token: 'r2', expires_in: 300 })
      }),
    )
    const form = (refreshToken: string | null) => {
      const data = new FormData()
      data.set('refresh_token', refreshToken ?? '')
      return data
    }

    await createRefreshAdapter({ baseURL: API, body: form })(secret, context())

    expect(seen).toEqual([expect.stringMatching(/^multipart\/form-data; boundary=/), secret])
  })

  it('reports a call its signal aborted as aborted', async () => {
    mswServer.use(http.post(`${API}/api/v1/auth/refresh`, () => HttpResponse.json({})))
    const controller = new AbortController()
    controller.abort()
    const error = await createRefreshAdapter({ baseURL: API })(secret, {
      signal: controller.signal,
      accessToken: null,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect((error as Error).message).toBe('Refresh was aborted: POST /api/v1/auth/refresh.')
  })
})

describe('createRevokeAdapter', () => {
  function recordingFetch() {
    const sent: RequestInit[] = []
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      sent.push(init ?? {})
      return new Response(null, { status: 204 })
    }
    return { sent, fetch }
  }

  it('sends cookies only with withCredentials, and {} without a refresh token', async () => {
    const { sent, fetch } = recordingFetch()
    await createRevokeAdapter({ fetch })({ accessToken: access, refreshToken: null })
    await createRevokeAdapter({ fetch, withCredentials: true })({
      accessToken: access,
      refreshToken: null,
    })
    expect(sent.map((init) => [init.credentials, init.body])).toEqual([
      ['same-origin', '{}'],
      ['include', '{}'],
    ])
  })

  it('leaves no timer running once the server has answered', async () => {
    installFakeClock()
    const { fetch } = recordingFetch()
    await createRevokeAdapter({ fetch })({ accessToken: access, refreshToken: secret })
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('createSlidingRefreshAdapter', () => {
  it('sends the access token as Bearer, and no Authorization header without one', async () => {
    const sent: (string | null)[] = []
    const refresh = createSlidingRefreshAdapter({
      fetch: async (_input, init) => {
        sent.push(new Headers(init?.headers).get('authorization'))
        return Response.json({ success: true, token: access })
      },
    })
    const signal = new AbortController().signal
    await refresh(null, { signal, accessToken: access })
    await refresh(null, { signal, accessToken: null })
    expect(sent).toEqual([`Bearer ${access}`, null])
  })
})
