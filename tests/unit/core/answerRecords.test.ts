import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  InvalidRefreshResponseError,
  createAuthSession,
  createMemoryStorage,
  type TokenPair,
} from '../../../src/core'
import { advance, installFakeClock } from './support/harness'
import { makeJwt, tokenFor } from './support/jwt'

const KEY = 'token-refresh-kit'
const stored = (storage: ReturnType<typeof createMemoryStorage>) =>
  JSON.parse(storage.getItem(KEY) ?? 'null') as Record<string, unknown>

afterEach(() => {
  vi.useRealTimers()
})

/** What the session keeps of a token answer: the record it stores and the expiry it counts. */
describe('the record of a token answer', () => {
  it('stores a JWT session as tokens and expiry alone: no user copied, no opaque mark', () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const session = createAuthSession({ storage, channel: null })
    const accessToken = tokenFor(Date.now())
    session.setTokens({ accessToken, refreshToken: 'r0' })
    expect(session.getState().user).toMatchObject({ sub: 'user-1' })
    expect(stored(storage)).toEqual({
      accessToken,
      refreshToken: 'r0',
      expiresAt: Date.now() + 299_000,
      lifetimeMs: 300_000,
    })
    session.destroy()
  })

  it('counts a token whose iat is not a finite number from its arrival', () => {
    installFakeClock()
    const session = createAuthSession({ storage: createMemoryStorage(), channel: null })
    const exp = Math.floor(Date.now() / 1000) + 300
    const payload = Buffer.from(`{"sub":"u","iat":1e400,"exp":${exp}}`).toString('base64url')
    session.setTokens({ accessToken: `e30.${payload}.c2ln`, expiresIn: 300 })
    expect(session.getState().expiresAt).toBe(Date.now() + 299_000)
    session.destroy()
  })

  it('counts a token issued at the end of a slow call from then, with the client clock 10 min ahead', async () => {
    installFakeClock() // on a whole second: `iat` loses nothing
    const ahead = 600_000
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      now: () => Date.now() + ahead,
      // The server takes 4 s, then issues the token on its own clock and answers at once.
      refresh: async (): Promise<TokenPair> => {
        await new Promise((done) => setTimeout(done, 4_000))
        return { accessToken: tokenFor(Date.now()), refreshToken: 'r1' }
      },
      revoke: async () => undefined,
    })
    session.setTokens({ accessToken: tokenFor(Date.now()), refreshToken: 'r0' })
    const refreshed = session.refresh()
    await advance(4_000)
    await refreshed
    expect(session.getState().expiresAt).toBe(Date.now() + ahead + 299_000)
    session.destroy()
  })

  it('keeps an opaque token that lives 180 days across a reload', () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const first = createAuthSession({ storage, channel: null })
    first.setTokens({ accessToken: 'opaque-access-token', expiresIn: 180 * 86_400 })
    const reloaded = createAuthSession({ storage, channel: null })
    expect(reloaded.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: 'opaque-access-token',
    })
    first.destroy()
    reloaded.destroy()
  })

  it('takes a refresh function that resolves with nothing as an invalid refresh response', async () => {
    installFakeClock()
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh: async () => undefined as unknown as TokenPair,
    })
    session.setTokens({ accessToken: makeJwt({ sub: 'u', iat: 1, exp: 301 }), refreshToken: 'r' })
    const error = await session.refresh().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    expect((error as Error).message).toMatch(/The access token is missing or not a string/)
    expect(session.getState().status).toBe('authenticated')
    session.destroy()
  })

  it("keeps no refresh token that a refresh answer carries with refreshCredential 'cookie'", async () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const session = createAuthSession({
      storage,
      channel: null,
      refreshCredential: 'cookie',
      refresh: async () => ({ accessToken: tokenFor(Date.now()), refreshToken: 'rt-in-the-body' }),
      revoke: async () => undefined,
    })
    session.setTokens({ accessToken: tokenFor(Date.now()) })
    await session.refresh()
    expect(session.getState()).toMatchObject({ refreshCount: 1, refreshToken: null })
    expect(storage.getItem(KEY)).not.toContain('rt-in-the-body')
    session.destroy()
  })
})
