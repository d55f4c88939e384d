import { HttpResponse, delay, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  InvalidOptionError,
  InvalidRefreshResponseError,
  RefreshFailedError,
  RefreshRejectedError,
  createOAuth2RefreshAdapter,
  createOAuth2RevokeAdapter,
} from '../../../src/core'
import { mswServer } from './support/authServer'
import { findSecrets } from './support/findSecrets'
import { advance, installFakeClock, settle, setupTestServer } from './support/harness'
import { REVOCATION_ENDPOINT, TOKEN_ENDPOINT } from './support/oauthServer'

setupTestServer()

const context = () => ({ signal: new AbortController().signal, accessToken: null })
const refreshToken = 'rt-8f3a0c2b7d9e4f61a5b3c7d9e1f2a4b6'
const accessToken = 'at-0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e'

/** Answers the token endpoint with `answer`, recording what was sent. */
function tokenEndpoint(answer: () => Response) {
  const seen: { form: URLSearchParams; authorization: string | null; type: string | null }[] = []
  mswServer.use(
    http.post(TOKEN_ENDPOINT, async ({ request }) => {
      seen.push({
        form: new URLSearchParams(await request.text()),
        authorization: request.headers.get('authorization'),
        type: request.headers.get('content-type'),
      })
      return answer()
    }),
  )
  return seen
}

const tokens = (extra: Record<string, unknown> = {}) =>
  HttpResponse.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 300, ...extra })

const failureOf = (refresh: () => Promise<unknown>) =>
  refresh().then(
    () => {
      throw new Error('the refresh did not fail')
    },
    (error: unknown) => error as Error,
  )

describe('createOAuth2RefreshAdapter', () => {
  it('sends the RFC 6749 section 6 form for a public client and maps the token response', async () => {
    const seen = tokenEndpoint(() =>
      tokens({ refresh_token: 'rt-next', id_token: 'id.token.here', scope: 'openid' }),
    )
    const refresh = createOAuth2RefreshAdapter({
      tokenEndpoint: TOKEN_ENDPOINT,
      clientId: 'spa',
      scope: ['openid', 'offline_access'],
      extraParams: { audience: 'https://api.test' },
    })

    await expect(refresh(refreshToken, context())).resolves.toEqual({
      accessToken,
      refreshToken: 'rt-next',
      expiresIn: 300,
      idToken: 'id.token.here',
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]?.type).toBe('application/x-www-form-urlencoded')
    expect(seen[0]?.authorization).toBeNull()
    expect(Object.fromEntries(seen[0]?.form ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'spa',
      scope: 'openid offline_access',
      audience: 'https://api.test',
    })
  })

  it('authenticates a confidential client with HTTP Basic, or in the form with `post`', async () => {
    const seen = tokenEndpoint(() => tokens())
    const secret = 'a secret:with/odd+chars'
    await createOAuth2RefreshAdapter({
      tokenEndpoint: TOKEN_ENDPOINT,
      clientId: 'app 1',
      clientSecret: secret,
    })(refreshToken, context())
    await createOAuth2RefreshAdapter({
      tokenEndpoint: TOKEN_ENDPOINT,
      clientId: 'app 1',
      clientSecret: secret,
      clientAuthentication: 'post',
    })(refreshToken, context())

    const basic = Buffer.from('app+1:a+secret%3Awith%2Fodd%2Bchars').toString('base64')
    expect(seen[0]?.authorization).toBe(`Basic ${basic}`)
    expect(seen[0]?.form.has('client_id')).toBe(false)
    expect(seen[1]?.authorization).toBeNull()
    expect(seen[1]?.form.get('client_id')).toBe('app 1')
    expect(seen[1]?.form.get('client_secret')).toBe(secret)
  })

  it('keeps the current refresh token when the answer has none, and reads expires_in given as a string', async () => {
    tokenEndpoint(() => HttpResponse.json({ access_token: accessToken, expires_in: '3600' }))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    await expect(refresh(refreshToken, context())).resolves.toEqual({
      accessToken,
      expiresIn: 3600,
    })
  })

  it.each([
    [400, 'invalid_grant'],
    [401, 'invalid_client'],
  ])('ends the session on %i %s, naming the error and not the token', async (status, error) => {
    tokenEndpoint(() =>
      HttpResponse.json(
        { error, error_description: `Refresh token ${refreshToken} is not valid` },
        { status },
      ),
    )
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const failure = await failureOf(() => refresh(refreshToken, context()))

    expect(failure).toBeInstanceOf(RefreshRejectedError)
    expect(failure.message).toBe(
      `Refresh was rejected with ${error} (Refresh token [redacted] is not valid): POST /oauth/token answered ${status}. The session has ended; sign in again.`,
    )
    expect(failure.cause).toMatchObject({ method: 'POST', path: '/oauth/token', status })
    expect(findSecrets(failure, [refreshToken])).toEqual([])
  })

  it('names invalid_grant once when the server gives no description', async () => {
    tokenEndpoint(() => HttpResponse.json({ error: 'invalid_grant' }, { status: 400 }))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const failure = await failureOf(() => refresh(refreshToken, context()))
    expect(failure.message).toBe(
      'Refresh was rejected with invalid_grant: POST /oauth/token answered 400. The session has ended; sign in again.',
    )
  })

  it.each([
    [
      400,
      'an HTML page',
      () => HttpResponse.text('<html>Bad Request</html>', { status: 400 }),
      RefreshRejectedError,
    ],
    [
      503,
      'invalid_grant',
      () => HttpResponse.json({ error: 'invalid_grant' }, { status: 503 }),
      RefreshFailedError,
    ],
  ] as const)('classifies a %i with %s by its status', async (status, _name, answer, type) => {
    tokenEndpoint(answer)
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const failure = await failureOf(() => refresh(refreshToken, context()))
    expect(failure).toBeInstanceOf(type)
    expect((failure as RefreshFailedError).status).toBe(status)
  })

  it.each([
    [
      400,
      'invalid_request',
      RefreshRejectedError,
      /^Refresh was rejected with status 400: POST \/oauth\/token/,
    ],
    [
      500,
      'server_error',
      RefreshFailedError,
      /^Refresh failed with status 500: POST \/oauth\/token/,
    ],
    [
      429,
      'slow_down',
      RefreshFailedError,
      /^Refresh was rate limited \(429\): POST \/oauth\/token/,
    ],
  ] as const)('classifies %i %s like any refresh failure', async (status, error, type, message) => {
    tokenEndpoint(() => HttpResponse.json({ error }, { status, headers: { 'Retry-After': '30' } }))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const failure = await failureOf(() => refresh(refreshToken, context()))
    expect(failure).toBeInstanceOf(type)
    expect(failure.message).toMatch(message)
    if (status === 429) expect((failure as RefreshFailedError).retryAfterMs).toBe(30_000)
  })

  it('treats a network error as transient, and keeps no token in it', async () => {
    mswServer.use(http.post(TOKEN_ENDPOINT, () => HttpResponse.error()))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const failure = await failureOf(() => refresh(refreshToken, context()))
    expect(failure).toBeInstanceOf(RefreshFailedError)
    expect(failure.message).toMatch(
      /^Refresh failed with a network error .*: POST \/oauth\/token\.$/,
    )
    expect(findSecrets(failure, [refreshToken])).toEqual([])
  })

  it('refuses an answer that is not JSON or holds no token', async () => {
    tokenEndpoint(() => HttpResponse.text('<html>login</html>'))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const notJson = await failureOf(() => refresh(refreshToken, context()))
    expect(notJson).toBeInstanceOf(InvalidRefreshResponseError)
    expect(notJson.message).toBe(
      "The token endpoint's answer is not a JSON object: POST /oauth/token answered 200. Check `tokenEndpoint`.",
    )

    tokenEndpoint(() => HttpResponse.json({ token_type: 'Bearer' }))
    const empty = await failureOf(() => refresh(refreshToken, context()))
    expect(empty).toBeInstanceOf(InvalidRefreshResponseError)
    expect(empty.message).toMatch(/^The token endpoint's answer holds no `access_token`/)
  })

  it.each(['[]', '42', 'null'])('refuses a 200 answer of %s as not a JSON object', async (body) => {
    tokenEndpoint(() => HttpResponse.text(body))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const failure = await failureOf(() => refresh(refreshToken, context()))
    expect(failure).toBeInstanceOf(InvalidRefreshResponseError)
    expect(failure.message).toMatch(/^The token endpoint's answer is not a JSON object/)
  })

  it.each([
    [
      'empty',
      '{"access_token":"at","refresh_token":"","expires_in":0,"id_token":""}',
      { accessToken: 'at' },
    ],
    [
      'not strings or positive numbers',
      '{"access_token":"at","refresh_token":42,"expires_in":-5,"id_token":42}',
      { accessToken: 'at' },
    ],
    ['unreadable', '{"access_token":"at","expires_in":"soon"}', { accessToken: 'at' }],
    ['too large', '{"access_token":"at","expires_in":1e400}', { accessToken: 'at' }],
    [
      'a rotation with a number for access token',
      '{"access_token":42,"refresh_token":"rt-rotated"}',
      { accessToken: '', refreshToken: 'rt-rotated' },
    ],
  ])('leaves out fields that are %s', async (_name, body, expected) => {
    tokenEndpoint(() => HttpResponse.text(body))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    expect(await refresh(refreshToken, context())).toStrictEqual(expected)
  })

  it.each([
    ['a number', 42],
    ['empty', ''],
  ])('refuses an access token that is %s, with no rotation', async (_name, token) => {
    tokenEndpoint(() => HttpResponse.json({ access_token: token, expires_in: 300 }))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const failure = await failureOf(() => refresh(refreshToken, context()))
    expect(failure).toBeInstanceOf(InvalidRefreshResponseError)
    expect(failure.message).toMatch(/^The token endpoint's answer holds no `access_token`/)
  })

  it('sends a scope given as a string as it is, and no scope unless asked', async () => {
    const seen = tokenEndpoint(() => tokens())
    await createOAuth2RefreshAdapter({
      tokenEndpoint: TOKEN_ENDPOINT,
      clientId: 'spa',
      scope: 'openid profile',
    })(refreshToken, context())
    await createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })(
      refreshToken,
      context(),
    )
    expect(seen.map((call) => call.form.get('scope'))).toEqual(['openid profile', null])
  })

  it('hands the session a rotated refresh token even when the access token is missing', async () => {
    tokenEndpoint(() => HttpResponse.json({ refresh_token: 'rt-rotated', expires_in: 300 }))
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    await expect(refresh(refreshToken, context())).resolves.toEqual({
      accessToken: '',
      refreshToken: 'rt-rotated',
      expiresIn: 300,
    })
  })

  it('refuses to call without a refresh token, and refuses bad options when created', async () => {
    const refresh = createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' })
    const failure = await failureOf(() => refresh(null, context()))
    expect(failure).toBeInstanceOf(RefreshRejectedError)
    expect(failure.message).toMatch(/^There is no refresh token to send to POST \/oauth\/token/)
    expect(() => createOAuth2RefreshAdapter({ tokenEndpoint: '', clientId: 'spa' })).toThrow(
      InvalidOptionError,
    )
    expect(() =>
      createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: '' }),
    ).toThrow(/`clientId` is missing/)
  })

  it.each([
    ['no options at all', undefined, /`tokenEndpoint` is undefined/],
    [
      'a blank token endpoint',
      { tokenEndpoint: '  ', clientId: 'spa' },
      /`tokenEndpoint` is " {2}"/,
    ],
    [
      'a client ID that is not a string',
      { tokenEndpoint: TOKEN_ENDPOINT, clientId: 42 },
      /`clientId` is missing/,
    ],
    [
      'an unknown client authentication',
      { tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa', clientAuthentication: 'none' },
      /`clientAuthentication` is "none": pass 'basic' or 'post'/,
    ],
  ])('refuses %s when created', (_name, options, message) => {
    const create = () => createOAuth2RefreshAdapter(options as never)
    expect(create).toThrow(InvalidOptionError)
    expect(create).toThrow(message)
  })
})

describe('createOAuth2RevokeAdapter', () => {
  function revocationEndpoint(status = 200) {
    const seen: { form: Record<string, string>; authorization: string | null }[] = []
    mswServer.use(
      http.post(REVOCATION_ENDPOINT, async ({ request }) => {
        seen.push({
          form: Object.fromEntries(new URLSearchParams(await request.text())),
          authorization: request.headers.get('authorization'),
        })
        return new HttpResponse(null, { status })
      }),
    )
    return seen
  }

  it('revokes the refresh token (RFC 7009), then the access token when asked', async () => {
    const seen = revocationEndpoint()
    await createOAuth2RevokeAdapter({ revocationEndpoint: REVOCATION_ENDPOINT, clientId: 'spa' })({
      accessToken,
      refreshToken,
    })
    await createOAuth2RevokeAdapter({
      revocationEndpoint: REVOCATION_ENDPOINT,
      clientId: 'spa',
      revokeAccessToken: true,
    })({ accessToken, refreshToken })

    expect(seen.map((call) => call.form)).toEqual([
      { token: refreshToken, token_type_hint: 'refresh_token', client_id: 'spa' },
      { token: refreshToken, token_type_hint: 'refresh_token', client_id: 'spa' },
      { token: accessToken, token_type_hint: 'access_token', client_id: 'spa' },
    ])
  })

  it('revokes the access token when there is no refresh token', async () => {
    const seen = revocationEndpoint()
    await createOAuth2RevokeAdapter({ revocationEndpoint: REVOCATION_ENDPOINT, clientId: 'spa' })({
      accessToken,
      refreshToken: null,
    })
    expect(seen.map((call) => call.form.token_type_hint)).toEqual(['access_token'])
  })

  it('revokes nothing for an empty access token and no refresh token', async () => {
    const seen = revocationEndpoint()
    await createOAuth2RevokeAdapter({ revocationEndpoint: REVOCATION_ENDPOINT, clientId: 'spa' })({
      accessToken: '',
      refreshToken: null,
    })
    expect(seen).toEqual([])
  })

  it('refuses to be created without options', () => {
    expect(() => createOAuth2RevokeAdapter(undefined as never)).toThrow(InvalidOptionError)
  })

  it('leaves no timer running once the server has answered', async () => {
    installFakeClock()
    revocationEndpoint()
    await createOAuth2RevokeAdapter({ revocationEndpoint: REVOCATION_ENDPOINT, clientId: 'spa' })({
      accessToken,
      refreshToken,
    })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives up on a revocation after timeoutMs', async () => {
    installFakeClock()
    mswServer.use(
      http.post(REVOCATION_ENDPOINT, async () => {
        await delay('infinite')
        return new HttpResponse(null)
      }),
    )
    const revoke = createOAuth2RevokeAdapter({
      revocationEndpoint: REVOCATION_ENDPOINT,
      clientId: 'spa',
      timeoutMs: 2_000,
    })
    const done = settle(revoke({ accessToken, refreshToken: null }))
    await advance(1_500)
    expect(done.done).toBe(false)
    await advance(1_000)
    expect(done).toEqual({ done: true, value: undefined })
  })

  it('is best effort: an error answer or a network error resolves all the same', async () => {
    revocationEndpoint(503)
    const revoke = createOAuth2RevokeAdapter({
      revocationEndpoint: REVOCATION_ENDPOINT,
      clientId: 'spa',
      revokeAccessToken: true,
    })
    await expect(revoke({ accessToken, refreshToken })).resolves.toBeUndefined()
    mswServer.use(http.post(REVOCATION_ENDPOINT, () => HttpResponse.error()))
    await expect(revoke({ accessToken, refreshToken })).resolves.toBeUndefined()
  })
})
