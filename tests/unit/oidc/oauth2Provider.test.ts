import axios from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAuthSession,
  createMemoryStorage,
  createOAuth2RefreshAdapter,
  createOAuth2RevokeAdapter,
  SessionEndedError,
  type AuthEvent,
} from '../../../src/core'
import { attachAuthInterceptor } from '../../../src/axios'
import { findSecrets } from '../core/support/findSecrets'
import { ACCOUNT_ID, CLIENT_ID, startProvider, type ProviderOptions } from './support/startProvider'
import { startResourceServer } from './support/startResourceServer'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A provider, a resource server, and a session signed in through authorization code + PKCE. */
async function signedIn(options: ProviderOptions) {
  const provider = await startProvider(options)
  cleanups.push(provider.close)
  const api = await startResourceServer(provider)
  cleanups.push(api.close)
  const tokens = await provider.signIn()
  const session = createAuthSession({
    storage: createMemoryStorage(),
    channel: null,
    user: 'id-token',
    refresh: createOAuth2RefreshAdapter({
      tokenEndpoint: provider.tokenEndpoint,
      clientId: CLIENT_ID,
    }),
    revoke: createOAuth2RevokeAdapter({
      revocationEndpoint: provider.revocationEndpoint,
      clientId: CLIENT_ID,
    }),
  })
  const events: AuthEvent[] = []
  const unsubscribe = session.onEvent((event) => events.push(event))
  session.setTokens({
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
    idToken: tokens.id_token,
  })
  const client = axios.create({ baseURL: api.url })
  const eject = attachAuthInterceptor(client, session)
  cleanups.push(() => {
    eject()
    unsubscribe()
    session.destroy()
  })
  return { provider, api, tokens, session, client, events }
}

/** Sends the refresh token to the token endpoint itself, as a stolen copy would be. */
async function presentRefreshToken(tokenEndpoint: string, refreshToken: string) {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: CLIENT_ID,
    }),
  })
  return { status: response.status, body: (await response.json()) as { error?: string } }
}

const fifty = <T>(request: () => Promise<T>) =>
  Promise.allSettled(Array.from({ length: 50 }, request))

describe.each([
  { format: 'jwt' as const, what: 'JWT access tokens checked with the JWKS' },
  { format: 'opaque' as const, what: 'opaque access tokens checked by introspection' },
])('against oidc-provider, with $what', ({ format }) => {
  it('refreshes an expired token once for 50 concurrent requests, which all succeed, with no reuse', async () => {
    const { provider, api, tokens, session, client } = await signedIn({
      accessTokenFormat: format,
      accessTokenTtlSeconds: 2,
    })
    expect(tokens.access_token.split('.')).toHaveLength(format === 'jwt' ? 3 : 1)
    expect(session.getState().user).toMatchObject({ sub: ACCOUNT_ID, email: 'user-1@etl.local' })
    await sleep(2_100)
    expect(session.peekAccessToken()).toBeNull()

    const results = await fifty(() => client.get<{ sub: string }>('/data'))

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(50)
    expect(provider.counts.refreshes).toBe(1)
    expect(provider.grantErrors).toEqual([])
    expect(provider.counts.grantsRevoked).toBe(0)
    expect(api.counts).toEqual({ requests: 50, ok: 50, unauthorized: 0 })
    const state = session.getState()
    expect(state.expiresAt).toBeGreaterThan(Date.now() + 30_000)
    expect(state.refreshToken).not.toBe(tokens.refresh_token)
    expect(state.user).toMatchObject({ sub: ACCOUNT_ID })
    // The refresh token it replaced was spent: presenting it again is reuse, which the provider
    // answers by revoking the grant.
    expect(await presentRefreshToken(provider.tokenEndpoint, tokens.refresh_token)).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_grant' }),
    })
  })

  it('retries 50 requests answered 401 after a single refresh', async () => {
    const { provider, api, session, client } = await signedIn({
      accessTokenFormat: format,
      accessTokenTtlSeconds: 60,
    })
    createDevtoolsHandle(session).invalidateAccessToken()

    const results = await fifty(() => client.get('/data'))

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(50)
    expect(provider.counts.refreshes).toBe(1)
    expect(provider.grantErrors).toEqual([])
    expect(api.counts.ok).toBe(50)
  })

  it('ends the session once when the grant was revoked, failing every waiting request', async () => {
    const { provider, tokens, session, client, events } = await signedIn({
      accessTokenFormat: format,
      accessTokenTtlSeconds: 2,
    })
    const revoked = await fetch(provider.revocationEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token, client_id: CLIENT_ID }),
    })
    expect(revoked.status).toBe(200)
    await sleep(2_100)

    const results = await fifty(() => client.get('/data'))

    const errors = results.map((result) => (result.status === 'rejected' ? result.reason : null))
    expect(errors.every((error) => error instanceof SessionEndedError)).toBe(true)
    expect(events.filter((event) => event.type === 'ended')).toEqual([
      expect.objectContaining({ reason: 'refresh-rejected' }),
    ])
    expect(session.getState()).toMatchObject({ status: 'ended', endReason: 'refresh-rejected' })
    expect(session.getState().error?.message).toMatch(
      /^Refresh was rejected with invalid_grant \(grant request is invalid\): POST \/token answered 400\./,
    )
    expect(provider.grantErrors).toHaveLength(1)
    const secrets = [tokens.access_token, tokens.refresh_token, tokens.id_token]
    expect(findSecrets([errors, events, session.getState().error], secrets)).toEqual([])
  })

  it('revokes at logout: the revocation endpoint is called and the refresh token no longer works', async () => {
    const { provider, session } = await signedIn({
      accessTokenFormat: format,
      accessTokenTtlSeconds: 60,
    })
    const { refreshToken } = session.getState()

    await session.logout()

    expect(provider.counts.revocations).toBe(1)
    expect(await presentRefreshToken(provider.tokenEndpoint, refreshToken as string)).toEqual({
      status: 400,
      body: expect.objectContaining({ error: 'invalid_grant' }),
    })
    expect(provider.grantErrors).toEqual(['refresh token not found'])
  })
})
