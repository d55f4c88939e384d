import axios from 'axios'
import { describe, expect, it } from 'vitest'
import {
  InvalidRefreshResponseError,
  InvalidTokenError,
  createAuthSession,
  createBroadcastSessionChannel,
  createMemoryStorage,
  createOAuth2RefreshAdapter,
  createOAuth2RevokeAdapter,
  createWebLockCoordinator,
  decodeAccessToken,
  type AuthEvent,
  type AuthSessionOptions,
  type TokenStorage,
} from '../../../src/core'
import { attachAuthInterceptor } from '../../../src/axios'
import { snapshotSession } from '../../../src/devtools/snapshotSession'
import { createFakeBroadcastHub, createFakeLocks } from '../tabs/support/fakes'
import { API, mswServer } from './support/authServer'
import { findSecrets } from './support/findSecrets'
import { advance, installFakeClock, settle, setupTestServer } from './support/harness'
import { REVOCATION_ENDPOINT, TOKEN_ENDPOINT, createOAuthServer } from './support/oauthServer'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'

setupTestServer()

const KEY = 'token-refresh-kit'

/** An OAuth server with opaque tokens, and sessions on it that share storage, locks and a channel. */
function createBrowser(ttlSeconds = 300) {
  const server = createOAuthServer({ ttlSeconds })
  mswServer.use(...server.handlers)
  const storage = createMemoryStorage()
  const locks = createFakeLocks()
  const hub = createFakeBroadcastHub()
  const openTab = (options: AuthSessionOptions = {}) => {
    const session = createAuthSession({
      storage,
      coordinator: createWebLockCoordinator(locks),
      channel: createBroadcastSessionChannel(new hub.FakeChannel(KEY)),
      tabStore: null,
      refresh: createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: 'spa' }),
      revoke: createOAuth2RevokeAdapter({
        revocationEndpoint: REVOCATION_ENDPOINT,
        clientId: 'spa',
      }),
      ...options,
    })
    const client = axios.create({ baseURL: API })
    attachAuthInterceptor(client, session)
    const events: AuthEvent[] = []
    session.onEvent((event) => events.push(event))
    return { session, client, events }
  }
  return { server, storage, openTab }
}

const stored = (storage: TokenStorage) => JSON.parse(storage.getItem(KEY) ?? 'null')

describe('decodeAccessToken with an opaque token', () => {
  const at = 1_000_000

  it('takes the expiry from expires_in, with no claims', () => {
    expect(decodeAccessToken('2YotnFZFEjr1zCsicMWpAA', 3600, at)).toEqual({
      claims: {},
      lifetimeMs: 3_600_000,
      expiresAt: at + 3_599_000,
      opaque: true,
    })
  })

  it('refuses it without expires_in, saying to return expires_in', () => {
    expect(() => decodeAccessToken('2YotnFZFEjr1zCsicMWpAA', undefined, at)).toThrow(
      InvalidTokenError,
    )
    expect(() => decodeAccessToken('2YotnFZFEjr1zCsicMWpAA', undefined, at)).toThrow(
      /not a readable JWT and the response has no `expires_in`.*have the server return `expires_in`/,
    )
  })
})

describe('a session with opaque access tokens', () => {
  it('signs in with expires_in, stores the token marked opaque, and has no user from it', () => {
    installFakeClock()
    const { server, storage, openTab } = createBrowser()
    const { session, events } = openTab()
    const pair = server.login()

    session.setTokens(pair)

    expect(session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: pair.accessToken,
      expiresAt: Date.now() + 299_000,
      user: null,
    })
    expect(stored(storage)).toEqual({
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: Date.now() + 299_000,
      lifetimeMs: 300_000,
      opaque: true,
    })
    expect(events.map((event) => event.type)).toEqual(['signed-in'])
    session.destroy()
  })

  it('refreshes ahead of expiry from expires_in alone, once per lifetime', async () => {
    installFakeClock()
    const { server, openTab } = createBrowser()
    const { session } = openTab()
    const first = server.login()
    session.setTokens(first)
    session.start()

    await advance(230_000, 5_000)
    expect(server.state.counters.refreshes).toBe(0)
    await advance(20_000, 5_000)
    expect(server.state.counters.refreshes).toBe(1)
    expect(session.getState().accessToken).not.toBe(first.accessToken)
    await advance(600_000, 5_000)
    expect(server.state.counters.refreshes).toBe(3)
    expect(server.state.counters.reuse).toBe(0)
    expect(session.getState().status).toBe('authenticated')
    session.destroy()
  })

  it('holds 100 concurrent requests on an expired token, refreshes once and sends them all', async () => {
    installFakeClock()
    const { server, openTab } = createBrowser()
    const { session, client } = openTab()
    session.setTokens(server.login())
    await advance(301_000, 10_000)

    const requests = Array.from({ length: 100 }, () => settle(client.get('/api/v1/data')))
    await advance(1_000, 100)

    expect(requests.every((request) => request.done && !request.error)).toBe(true)
    expect(server.state.counters).toMatchObject({ refreshes: 1, unauthorized: 0, reuse: 0 })
    session.destroy()
  })

  it('meets 100 concurrent requests with a tampered opaque token: 100 401s, one refresh, 100 retries', async () => {
    installFakeClock()
    const { server, openTab } = createBrowser()
    const { session, client } = openTab()
    session.setTokens(server.login())
    const before = session.getState().accessToken
    createDevtoolsHandle(session).invalidateAccessToken()
    expect(session.getState().accessToken).not.toBe(before)

    const requests = Array.from({ length: 100 }, () => settle(client.get('/api/v1/data')))
    await advance(1_000, 100)

    expect(requests.every((request) => request.done && !request.error)).toBe(true)
    expect(server.state.counters.refreshes).toBe(1)
    expect(server.state.counters.unauthorized).toBe(100)
    session.destroy()
  })

  it('refuses a refresh that hands back the same opaque token, keeping the rotated refresh token', async () => {
    installFakeClock()
    const { server, openTab } = createBrowser()
    const { session } = openTab()
    session.setTokens(server.login())
    server.state.repeatAccessToken = true

    const error = await session.refresh().catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(InvalidRefreshResponseError)
    expect((error as Error).message).toMatch(/it is the very token it was meant to replace/)
    const retried = await session.refresh()
    expect(retried).toBe(session.getState().accessToken)
    expect(server.state.counters).toMatchObject({ refreshes: 2, reuse: 0, rejected: 0 })
    session.destroy()
  })

  it('is shared by tabs: one refresh for two tabs, the other adopts the opaque token; a reload keeps it', async () => {
    installFakeClock()
    const { server, storage, openTab } = createBrowser()
    const first = openTab()
    const second = openTab()
    first.session.setTokens(server.login())
    await advance(100, 10)
    expect(second.session.getState().status).toBe('authenticated')
    await advance(301_000, 10_000)

    const requests = [first, second].flatMap((tab) =>
      Array.from({ length: 5 }, () => settle(tab.client.get('/api/v1/data'))),
    )
    await advance(2_000, 100)

    expect(requests.every((request) => request.done && !request.error)).toBe(true)
    expect(server.state.counters).toMatchObject({ refreshes: 1, reuse: 0 })
    const token = first.session.getState().accessToken
    expect(second.session.getState().accessToken).toBe(token)
    expect(stored(storage)).toMatchObject({ accessToken: token, opaque: true })

    const reloaded = openTab()
    expect(reloaded.session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: token,
    })
    ;[first, second, reloaded].forEach((tab) => tab.session.destroy())
  })

  it('revokes at logout and shows the devtools a snapshot without the token', async () => {
    installFakeClock()
    const { server, openTab } = createBrowser()
    const { session } = openTab()
    const pair = server.login()
    session.setTokens(pair)

    const snapshot = snapshotSession(session.getState(), false)
    expect(snapshot.maskedToken).toBe(`(${pair.accessToken.length} characters, not a JWT)`)
    expect(findSecrets(snapshot, [pair.accessToken, pair.refreshToken])).toEqual([])

    await session.logout()
    expect(server.state.revoked).toEqual([{ token: pair.refreshToken, hint: 'refresh_token' }])
    expect(session.getState().status).toBe('ended')
    session.destroy()
  })
})
