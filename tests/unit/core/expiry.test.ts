import { describe, expect, it, vi } from 'vitest'
import {
  InvalidRefreshResponseError,
  InvalidTokenError,
  createAuthSession,
  createMemoryStorage,
  decodeAccessToken,
} from '../../../src/core'
import { API } from './support/authServer'
import {
  advance,
  createHarness,
  settle,
  installFakeClock,
  setupTestServer,
} from './support/harness'
import { makeJwt } from './support/jwt'

setupTestServer()

describe('decodeAccessToken', () => {
  const at = 1_000_000

  it('measures expiry from the token lifetime (exp - iat) counted from arrival, a second early', () => {
    const token = makeJwt({ sub: 'u', iat: 10, exp: 310 })
    expect(decodeAccessToken(token, undefined, at)).toMatchObject({
      lifetimeMs: 300_000,
      expiresAt: at + 299_000,
      claims: { sub: 'u' },
    })
  })

  it('uses expires_in when the token has no iat', () => {
    const token = makeJwt({ sub: 'u', exp: 999_999_999 })
    expect(decodeAccessToken(token, 120, at).lifetimeMs).toBe(120_000)
  })

  it('uses expires_in when the token has no exp', () => {
    expect(decodeAccessToken(makeJwt({ sub: 'u' }), 60, at).lifetimeMs).toBe(60_000)
  })

  it('falls back to exp on the local clock when nothing else is known, clamped at zero', () => {
    expect(decodeAccessToken(makeJwt({ exp: 1300 }), undefined, at).lifetimeMs).toBe(300_000)
    expect(decodeAccessToken(makeJwt({ exp: 900 }), undefined, at).lifetimeMs).toBe(0)
  })

  it('says the token is missing when it is not a string at all', () => {
    expect(() => decodeAccessToken(42, 300, at)).toThrow(/missing or not a string/)
    expect(() => decodeAccessToken(undefined, 300, at)).toThrow(/missing or not a string/)
  })

  it('keeps why a JWT is unreadable as the cause, without the token', () => {
    const token = 'aGVhZGVy.@@@.c2ln'
    let error: unknown
    try {
      decodeAccessToken(token, undefined, at)
    } catch (caught) {
      error = caught
    }
    const { cause } = error as Error
    expect(cause).toBeInstanceOf(Error)
    expect(String(cause)).not.toContain('@@@')
  })

  it('ignores expires_in 0 and falls back to exp on the local clock', () => {
    expect(decodeAccessToken(makeJwt({ exp: 1300 }), 0, at).lifetimeMs).toBe(300_000)
  })

  it('counts a short-lived token expired a tenth of its life early, at most a second', () => {
    expect(decodeAccessToken(makeJwt({ iat: 10, exp: 15 }), undefined, at)).toMatchObject({
      lifetimeMs: 5_000,
      expiresAt: at + 4_500,
    })
    expect(decodeAccessToken('opaque-access-token', 20, at)).toMatchObject({
      lifetimeMs: 20_000,
      expiresAt: at + 19_000,
      opaque: true,
    })
  })

  it('uses expires_in for a token with iat but no exp', () => {
    expect(decodeAccessToken(makeJwt({ sub: 'u', iat: 10 }), 90, at).lifetimeMs).toBe(90_000)
  })

  it('ignores an expires_in that is not a finite number', () => {
    const notNumbers = [Infinity, '60' as unknown as number]
    for (const expiresIn of notNumbers) {
      expect(decodeAccessToken(makeJwt({ exp: 1300 }), expiresIn, at).lifetimeMs).toBe(300_000)
      expect(() => decodeAccessToken('opaque-access-token', expiresIn, at)).toThrow(
        /is not a readable JWT and the response has no `expires_in`/,
      )
    }
  })

  it('accepts an expiry up to the last moment a Date can hold, and refuses one beyond it', () => {
    // 8.64e15 ms, the last Date: arrival + lifetime - the one second counted early.
    const lastDateSeconds = (8.64e15 - at + 1000) / 1000
    const decoded = decodeAccessToken('opaque-access-token', lastDateSeconds, at)
    expect(decoded.expiresAt).toBe(8.64e15)
    expect(new Date(decoded.expiresAt).getTime()).toBe(8.64e15)
    expect(() => decodeAccessToken('opaque-access-token', lastDateSeconds + 1, at)).toThrow(
      /expires beyond what a Date can hold/,
    )
    expect(() => decodeAccessToken(makeJwt({ iat: 1, exp: 1e13 }), undefined, at)).toThrow(
      /expires beyond what a Date can hold/,
    )
  })

  it.each([
    ['not a JWT', 'not-a-jwt', undefined, /is not a readable JWT/],
    ['bad base64', 'aGVhZGVy.@@@.c2ln', undefined, /is not a readable JWT/],
    [
      'a payload that is not JSON',
      `e30.${Buffer.from('hello').toString('base64url')}.c2ln`,
      undefined,
      /is not a readable JWT/,
    ],
    [
      'no exp and no expires_in',
      makeJwt({ sub: 'u' }),
      undefined,
      /has no `exp` claim and the response no `expires_in`/,
    ],
    [
      'exp not a number',
      makeJwt({ sub: 'u', exp: '2030-01-01' }),
      60,
      /`exp` claim that is not a number/,
    ],
    [
      'exp too large to be a number (1e400 in the JSON)',
      `e30.${Buffer.from('{"iat":1,"exp":1e400}').toString('base64url')}.c2ln`,
      60,
      /`exp` claim that is not a number/,
    ],
    ['exp before iat', makeJwt({ iat: 100, exp: 50 }), undefined, /expires before it was issued/],
    ['exp equal to iat', makeJwt({ iat: 100, exp: 100 }), 300, /expires before it was issued/],
    ['an opaque token with expires_in 0', 'opaque-access-token', 0, /is not a readable JWT/],
    ['an empty token', '', undefined, /missing or not a string/],
    [
      'a JWT whose payload is an array',
      `e30.${Buffer.from('[1]').toString('base64url')}.c2ln`,
      undefined,
      /is not a readable JWT/,
    ],
    [
      'a JWT whose payload is null',
      `e30.${Buffer.from('null').toString('base64url')}.c2ln`,
      undefined,
      /is not a readable JWT/,
    ],
    [
      'a JWT whose payload is a number',
      `e30.${Buffer.from('42').toString('base64url')}.c2ln`,
      undefined,
      /is not a readable JWT/,
    ],
  ])('refuses %s with InvalidTokenError', (_name, token, expiresIn, message) => {
    let error: unknown
    try {
      decodeAccessToken(token, expiresIn, at)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InvalidTokenError)
    expect((error as Error).message).toMatch(message)
    if (typeof token === 'string' && token.length > 8) {
      expect((error as Error).message).not.toContain(token)
    }
  })
})

describe('malformed input to the session', () => {
  it('refuses a malformed token at setTokens and stays signed out', () => {
    const session = createAuthSession({ storage: createMemoryStorage(), channel: null })
    expect(() => session.setTokens({ accessToken: 'not-a-jwt' })).toThrow(InvalidTokenError)
    expect(session.getState().status).toBe('anonymous')
  })

  it.each([
    [
      'not JSON',
      'not-json',
      /^The refresh answer is not JSON: POST \/api\/v1\/auth\/refresh answered 200\./,
    ],
    [
      'without an access token',
      'no-token',
      /^The refresh answer holds no access token: POST \/api\/v1\/auth\/refresh answered 200\./,
    ],
  ] as const)(
    'treats a refresh answer %s as a typed, transient error that fails waiting requests at once: no crash, no loop',
    async (_name, failure, message) => {
      installFakeClock()
      const { server, client, session } = createHarness()
      vi.advanceTimersByTime(301_000)
      server.failNextRefresh(...Array.from({ length: 100 }, () => failure))

      const request = settle(client.get('/api/v1/data'))
      await advance(500)
      expect(request.error).toBeInstanceOf(InvalidRefreshResponseError)
      expect((request.error as Error).message).toMatch(message)
      expect(session.getState().error?.message).toMatch(message)
      expect(session.getState().status).toBe('authenticated')

      await advance(30 * 60_000, 5_000)
      expect(server.state.counters.refreshes).toBe(8)
    },
  )

  it('treats a refreshed token that cannot be decoded as an invalid refresh response', async () => {
    installFakeClock()
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh: async () => ({ accessToken: 'garbage' }),
    })
    session.setTokens({ accessToken: makeJwt({ sub: 'u', iat: 1, exp: 301 }), refreshToken: 'r' })
    const error = await session.refresh().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    expect((error as Error).message).toMatch(
      /^The refresh answered with an access token that cannot be used: The access token is not a readable JWT/,
    )
    expect(session.getState().status).toBe('authenticated')
    session.stop()
  })
})

describe('the local clock', () => {
  it.each([-10, 0, 10])(
    'refreshes at the same moment and sends the same requests with the client clock %i minutes off',
    async (minutes) => {
      installFakeClock()
      const offset = minutes * 60_000
      const { server, client, session, events } = createHarness({
        session: { now: () => Date.now() + offset },
      })
      const loginToken = session.getState().accessToken
      session.start()

      await advance(100_000)
      const early = await client.get('/api/v1/data')
      expect(early.status).toBe(200)
      expect(server.state.sent[0]?.token).toBe(loginToken)
      expect(server.state.counters.refreshes).toBe(0)

      await advance(200_000)
      expect(server.state.counters.refreshes).toBe(1)
      const started = events.find((event) => event.type === 'refresh-started')
      // On the server's clock: the refresh came 240 s after the login, whatever the client clock says.
      expect(started && started.at - offset).toBe(Date.UTC(2026, 0, 1, 9) + 240_000)
      expect(server.state.counters.unauthorized).toBe(0)
    },
  )

  it('refreshes tokens that carry exp but no iat, which tell nothing of the server clock', async () => {
    installFakeClock()
    const expOnly = () => makeJwt({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 300 })
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh: async () => ({ accessToken: expOnly(), refreshToken: 'r2' }),
    })
    session.setTokens({ accessToken: expOnly(), refreshToken: 'r1' })
    vi.advanceTimersByTime(1_000)
    const token = await session.refresh()
    expect(session.getState()).toMatchObject({ status: 'authenticated', accessToken: token })
    session.destroy()
  })

  it('keeps the same expiry across a reload (a new session on the same storage)', async () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const { session } = createHarness({ session: { storage } })
    const expiresAt = session.getState().expiresAt
    await advance(100_000)

    const reloaded = createAuthSession({ baseURL: API, storage, channel: null })
    expect(reloaded.getState()).toMatchObject({
      status: 'authenticated',
      expiresAt,
      accessToken: session.getState().accessToken,
      user: { sub: 'user-1' },
    })
    expect(JSON.parse(storage.getItem('token-refresh-kit') ?? '{}')).toMatchObject({ expiresAt })
  })

  it('ignores a stored record it cannot read, and removes it', () => {
    const storage = createMemoryStorage()
    storage.setItem('token-refresh-kit', '{"accessToken":"x.y.z","expiresAt":1,"lifetimeMs":1}')
    const session = createAuthSession({ storage, channel: null })
    expect(session.getState().status).toBe('anonymous')
    expect(storage.getItem('token-refresh-kit')).toBeNull()
  })
})
