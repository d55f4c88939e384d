import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import {
  InvalidOptionError,
  InvalidTokenError,
  createAuthSession,
  createBroadcastSessionChannel,
  createMemoryStorage,
  createOAuth2RefreshAdapter,
  createWebLockCoordinator,
  type AccessTokenClaims,
  type AuthSessionOptions,
  type UserSource,
} from '../../../src/core'
import { createFakeBroadcastHub, createFakeLocks } from '../tabs/support/fakes'
import { mswServer } from './support/authServer'
import { advance, installFakeClock, setupTestServer } from './support/harness'
import { makeJwt } from './support/jwt'
import { TOKEN_ENDPOINT, createOAuthServer } from './support/oauthServer'

setupTestServer()

const idToken = (claims: Record<string, unknown>) =>
  makeJwt({ iss: 'https://idp.test', aud: 'spa', iat: 1, exp: 3601, ...claims })

/** Tabs on one storage, lock manager and channel, refreshing at an OAuth server (opaque tokens). */
function createBrowser() {
  const server = createOAuthServer()
  mswServer.use(...server.handlers)
  const storage = createMemoryStorage()
  const locks = createFakeLocks()
  const hub = createFakeBroadcastHub()
  const sessions: ReturnType<typeof createAuthSession>[] = []
  const openTab = (user: UserSource, options: AuthSessionOptions = {}) => {
    const session = createAuthSession({
      user,
      storage,
      coordinator: createWebLockCoordinator(locks),
      channel: createBroadcastSessionChannel(new hub.FakeChannel('token-refresh-kit')),
      tabStore: null,
      refresh: createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' }),
      revoke: async () => undefined,
      ...options,
    })
    sessions.push(session)
    return session
  }
  const close = () => sessions.forEach((session) => session.destroy())
  return { server, storage, openTab, close }
}

/** A user loader whose calls wait until the test answers them: `pending[i]` answers call i. */
function createHeldLoader() {
  const pending: ((user: AccessTokenClaims) => void)[] = []
  const load = () => new Promise<AccessTokenClaims>((resolve) => pending.push(resolve))
  return { load, pending }
}

describe("the session's user source", () => {
  it("'id-token' reads the ID token's claims, shares them with tabs and reloads, and keeps them across refreshes", async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const first = openTab('id-token')
    const second = openTab('id-token')

    first.setTokens({ ...server.login(), idToken: idToken({ sub: 'ada', email: 'ada@etl.local' }) })
    await advance(100, 10)

    const user = { sub: 'ada', email: 'ada@etl.local' }
    expect(first.getState().user).toMatchObject(user)
    expect(second.getState().user).toMatchObject(user)
    await first.refresh()
    expect(first.getState().user).toMatchObject(user)
    expect(openTab('id-token').getState().user).toMatchObject(user)
    close()
  })

  it("'id-token' takes the claims of a new ID token in a refresh answer", async () => {
    installFakeClock()
    const { openTab, close } = createBrowser()
    mswServer.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({
          access_token: 'opaque-access-2',
          expires_in: 300,
          id_token: idToken({ sub: 'ada', name: 'Ada L.' }),
        }),
      ),
    )
    const session = openTab('id-token')
    session.setTokens({
      accessToken: 'opaque-access-1',
      refreshToken: 'r1',
      expiresIn: 300,
      idToken: idToken({ sub: 'ada', name: 'Ada' }),
    })
    await session.refresh()
    expect(session.getState().user).toMatchObject({ sub: 'ada', name: 'Ada L.' })
    close()
  })

  it("'id-token' refuses a sign-in without a readable ID token, saying what to pass", () => {
    const { server, openTab, close } = createBrowser()
    const session = openTab('id-token')
    expect(() => session.setTokens(server.login())).toThrow(InvalidTokenError)
    expect(() => session.setTokens(server.login())).toThrow(/request the `openid` scope/)
    expect(() => session.setTokens({ ...server.login(), idToken: 'nonsense' })).toThrow(
      /`idToken` passed to setTokens is not a readable JWT/,
    )
    expect(session.getState().status).toBe('anonymous')
    close()
  })

  it("'id-token' refuses an ID token whose payload is not an object", () => {
    const { server, openTab, close } = createBrowser()
    const session = openTab('id-token')
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
    for (const payload of ['ada', [{ sub: 'ada' }]]) {
      const token = `${encode({ alg: 'RS256' })}.${encode(payload)}.c2ln`
      expect(() => session.setTokens({ ...server.login(), idToken: token })).toThrow(
        /`idToken` passed to setTokens is not a readable JWT/,
      )
    }
    expect(session.getState()).toMatchObject({ status: 'anonymous', user: null })
    close()
  })

  it("'none' never sets a user, even from a JWT", () => {
    const { openTab, close } = createBrowser()
    const session = openTab('none')
    session.setTokens({ accessToken: makeJwt({ sub: 'ada', iat: 1, exp: 301 }), refreshToken: 'r' })
    expect(session.getState().user).toBeNull()
    close()
  })

  it('a loader is called once per sign-in; its user reaches the other tabs and a reload, and survives refreshes', async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const me = vi.fn(async (tokens: { accessToken: string; idToken: string | null }) => {
      expect(tokens.accessToken).toBe(first.getState().accessToken)
      return { sub: 'ada', role: 'admin' }
    })
    const first = openTab(me)
    const second = openTab(me)

    first.setTokens(server.login())
    expect(first.getState().user).toBeNull()
    await advance(100, 10)

    expect(me).toHaveBeenCalledTimes(1)
    expect(first.getState().user).toEqual({ sub: 'ada', role: 'admin' })
    expect(second.getState().user).toEqual({ sub: 'ada', role: 'admin' })
    await second.refresh()
    await advance(100, 10)
    expect(first.getState().user).toEqual({ sub: 'ada', role: 'admin' })
    expect(openTab(me).getState().user).toEqual({ sub: 'ada', role: 'admin' })
    expect(me).toHaveBeenCalledTimes(1)
    close()
  })

  it('a loader that fails leaves the user null and the session signed in', async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const session = openTab(async () => {
      throw new Error('GET /me answered 500')
    })
    session.setTokens(server.login())
    await advance(100, 10)
    expect(session.getState()).toMatchObject({ status: 'authenticated', user: null, error: null })
    close()
  })

  it("a loader that failed is tried again after the next refresh, with that answer's ID token", async () => {
    installFakeClock()
    const { openTab, close } = createBrowser()
    const refreshed = idToken({ sub: 'ada', name: 'Ada L.' })
    mswServer.use(
      http.post(TOKEN_ENDPOINT, () =>
        HttpResponse.json({
          access_token: 'opaque-access-2',
          expires_in: 300,
          id_token: refreshed,
        }),
      ),
    )
    const seen: (string | null)[] = []
    const session = openTab(async ({ idToken: given }) => {
      seen.push(given)
      if (seen.length === 1) throw new Error('GET /me answered 503')
      return { sub: 'ada', name: 'Ada L.' }
    })
    session.setTokens({ accessToken: 'opaque-access-1', refreshToken: 'r1', expiresIn: 300 })
    await advance(100, 10)
    expect(session.getState().user).toBeNull()

    await session.refresh()
    await advance(100, 10)
    expect(seen).toEqual([null, refreshed])
    expect(session.getState().user).toEqual({ sub: 'ada', name: 'Ada L.' })
    close()
  })

  it('calls a loader still loading once, even when a refresh comes before its answer', async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    let answer = (_user: AccessTokenClaims) => {}
    const me = vi.fn(() => new Promise<AccessTokenClaims>((resolve) => (answer = resolve)))
    const session = openTab(me)

    session.setTokens(server.login())
    await advance(100, 10)
    await session.refresh()
    await advance(100, 10)
    expect(me).toHaveBeenCalledTimes(1)

    answer({ sub: 'ada' })
    await advance(100, 10)
    expect(session.getState().user).toEqual({ sub: 'ada' })
    expect(me).toHaveBeenCalledTimes(1)
    close()
  })

  it('drops the user at a new sign-in, and never shows what a loader answers for an earlier sign-in', async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const { load, pending } = createHeldLoader()
    const session = openTab(load)

    session.setTokens(server.login())
    await advance(100, 10)
    pending[0]!({ sub: 'ada' })
    await advance(100, 10)
    expect(session.getState().user).toEqual({ sub: 'ada' })

    session.setTokens(server.login())
    expect(session.getState().user).toBeNull()
    await advance(100, 10)
    // A third sign-in before the second one's loader answers: that answer comes too late.
    session.setTokens(server.login())
    await advance(100, 10)
    pending[1]!({ sub: 'bob' })
    await advance(100, 10)
    expect(session.getState().user).toBeNull()
    expect(openTab(() => new Promise<AccessTokenClaims>(() => {})).getState().user).toBeNull()

    pending[2]!({ sub: 'cy' })
    await advance(100, 10)
    expect(session.getState().user).toEqual({ sub: 'cy' })
    close()
  })

  it('keeps the user null when a loader answers with something other than an object', async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const session = openTab((async () => 'ada') as never)
    session.setTokens(server.login())
    await advance(100, 10)
    expect(session.getState()).toMatchObject({ status: 'authenticated', user: null })
    close()
  })

  it("a loader is given the sign-in's ID token", async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const given = idToken({ sub: 'ada' })
    const me = vi.fn(async () => ({ sub: 'ada' }))
    openTab(me).setTokens({ ...server.login(), idToken: given })
    await advance(100, 10)
    expect(me).toHaveBeenCalledWith(expect.objectContaining({ idToken: given }))
    close()
  })

  it('a reload loads the user its stored session lacks, and only then', async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    // The first tab's loader never answers: its session is stored without a user.
    openTab(() => new Promise(() => undefined)).setTokens(server.login())
    const me = vi.fn(async () => ({ sub: 'ada' }))

    const reloaded = openTab(me)
    await advance(100, 10)
    expect(me).toHaveBeenCalledTimes(1)
    expect(reloaded.getState().user).toEqual({ sub: 'ada' })

    // Now stored with its user: a second reload has it at once and calls no loader.
    expect(openTab(me).getState().user).toEqual({ sub: 'ada' })
    await advance(100, 10)
    expect(me).toHaveBeenCalledTimes(1)
    close()
  })

  it("drops a loader's answer for a user who signed out meanwhile, even once another has signed in", async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const { load, pending } = createHeldLoader()
    const session = openTab(load)
    session.setTokens(server.login())
    await advance(100, 10)
    await session.logout()
    session.setTokens(server.login())
    await advance(100, 10)
    // The first sign-in's loader answers last.
    pending[1]?.({ sub: 'bob' })
    await advance(100, 10)
    pending[0]?.({ sub: 'ada' })
    await advance(100, 10)
    expect(pending).toHaveLength(2)
    expect(session.getState().user).toEqual({ sub: 'bob' })
    close()
  })

  it('a refresh while the loader is out starts no second load', async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const { load, pending } = createHeldLoader()
    const session = openTab(load)
    session.setTokens(server.login())
    await session.refresh()
    await advance(100, 10)
    pending[0]?.({ sub: 'ada' })
    await advance(100, 10)
    expect(pending).toHaveLength(1)
    expect(session.getState()).toMatchObject({ refreshCount: 1, user: { sub: 'ada' } })
    close()
  })

  it("a loader's answer for a token another tab has since replaced leaves that tab's newer token", async () => {
    installFakeClock()
    const { server, openTab, close } = createBrowser()
    const { load, pending } = createHeldLoader()
    const first = openTab(load)
    const second = openTab(load)
    first.setTokens(server.login())
    await advance(100, 10)
    await second.refresh()
    const newer = second.getState().accessToken
    // The loader answers before the second tab's refresh has reached the first tab.
    pending[0]?.({ sub: 'ada' })
    await advance(100, 10)
    expect(first.getState().accessToken).toBe(newer)
    expect(second.getState()).toMatchObject({ accessToken: newer, refreshCount: 1 })
    close()
  })

  it('refuses an unknown source when the session is created', () => {
    expect(() =>
      createAuthSession({
        user: 'claims' as UserSource,
        storage: createMemoryStorage(),
        channel: null,
      }),
    ).toThrow(InvalidOptionError)
  })
})
