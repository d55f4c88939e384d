import { setupServer } from 'msw/node'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { configureMock, getMockState, resetMock, runScenario } from '../../../mocks/control'
import { db } from '../../../mocks/db'
import { handlers } from '../../../mocks/handlers'
import { REFRESH_COOKIE } from '../../../mocks/refreshCookie'

const API = 'http://modes.mock.test'
const server = setupServer(...handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())
beforeEach(() => resetMock())

const post = (path: string, init: RequestInit = {}) =>
  fetch(`${API}${path}`, { method: 'POST', credentials: 'include', ...init })
const json = (body: unknown) => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
})
const form = (fields: Record<string, string>) => ({
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
})
const login = () =>
  post('/api/v1/auth/login', json({ email: 'admin@etl.local', password: 'admin123' }))
const headOfOnlyFamily = () => Object.values(db.read().families)[0]!.head

describe('refresh_mode "cookie"', () => {
  beforeEach(() => configureMock({ refresh_mode: 'cookie' }))

  it('sets the refresh token as an HttpOnly, SameSite=Strict cookie on the auth path, never in the body', async () => {
    const response = await login()
    const body = await response.json()

    expect(body).not.toHaveProperty('refresh_token')
    expect(response.headers.get('set-cookie')).toBe(
      `${REFRESH_COOKIE}=${headOfOnlyFamily()}; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=86400`,
    )
  })

  it('rotates the cookie on refresh and revokes the session when a rotated one comes back', async () => {
    await login()
    const first = headOfOnlyFamily()
    const refreshed = await post('/api/v1/auth/refresh')
    expect(refreshed.status).toBe(200)
    expect((await refreshed.json()).access_token).toEqual(expect.any(String))
    expect(refreshed.headers.get('set-cookie')).toContain(
      `${REFRESH_COOKIE}=${headOfOnlyFamily()};`,
    )
    expect(headOfOnlyFamily()).not.toBe(first)

    const replay = await post('/api/v1/auth/refresh', {
      headers: { Cookie: `${REFRESH_COOKIE}=${first}` },
    })
    expect(replay.status).toBe(401)
    expect((await replay.json()).detail).toBe('Refresh token reuse detected: session revoked')
    expect(replay.headers.get('set-cookie')).toContain('Max-Age=0')
    expect((await getMockState()).counters.reuse_detected).toBe(1)
  })

  it('answers a refresh without the cookie 401 and signs out with it, clearing it', async () => {
    const noCookie = await post('/api/v1/auth/refresh', { credentials: 'omit' })
    expect(noCookie.status).toBe(401)

    const { access_token: access } = await (await login()).json()
    const logout = await post('/api/v1/auth/logout', {
      headers: { Authorization: `Bearer ${access}` },
    })
    expect(logout.status).toBe(200)
    expect(logout.headers.get('set-cookie')).toBe(
      `${REFRESH_COOKIE}=; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=0`,
    )
    expect(Object.values(db.read().families)[0]!.revoked_reason).toBe('logout')
  })
})

describe('refresh_mode "sliding" (seed 003)', () => {
  beforeEach(() => configureMock({ refresh_mode: 'sliding' }))

  const slide = (token?: string) =>
    post('/api/v1/auth/refresh', token ? { headers: { Authorization: `Bearer ${token}` } } : {})

  it('trades the access token, even expired within the window, for {success, token, user}', async () => {
    const { access_token: access, refresh_token } = await (await login()).json()
    expect(refresh_token).toBeUndefined()
    await runScenario({ advance_clock_seconds: 400 })

    const response = await slide(access)
    const body = await response.json()

    expect(response.status).toBe(200)
    expect(body).toMatchObject({ success: true, user: { email: 'admin@etl.local' } })
    expect(body.token).not.toBe(access)
    const me = await fetch(`${API}/api/v1/auth/me`, {
      headers: { Authorization: `Bearer ${body.token}` },
    })
    expect(me.status).toBe(200)
  })

  it('answers success: false past the window or for a revoked session, and 401 without a token', async () => {
    const { access_token: access } = await (await login()).json()
    await runScenario({ revoke_sessions: true })
    expect(await (await slide(access)).json()).toEqual({
      success: false,
      detail: 'Session revoked: sign in again',
    })

    const { access_token: second } = await (await login()).json()
    await runScenario({ advance_clock_seconds: 300 + 3_601 })
    expect((await (await slide(second)).json()).success).toBe(false)

    expect((await slide()).status).toBe(401)
    expect((await getMockState()).counters.refreshes).toBe(3)
  })
})

describe('OAuth 2.0 token endpoint (RFC 6749) and revocation (RFC 7009)', () => {
  const grant = async (fields: Record<string, string>) => {
    const response = await post('/oauth/token', form({ client_id: 'etl-console', ...fields }))
    return { status: response.status, headers: response.headers, body: await response.json() }
  }
  const passwordGrant = () =>
    grant({ grant_type: 'password', username: 'admin@etl.local', password: 'admin123' })

  it('rotates a form-encoded refresh_token grant and answers invalid_grant to a rotated one', async () => {
    const signedIn = await passwordGrant()
    expect(signedIn.status).toBe(200)
    const first = signedIn.body.refresh_token

    const refreshed = await grant({ grant_type: 'refresh_token', refresh_token: first })
    expect(refreshed.status).toBe(200)
    expect(refreshed.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 })
    expect(refreshed.body.refresh_token).not.toBe(first)
    expect(refreshed.headers.get('cache-control')).toBe('no-store')

    const reused = await grant({ grant_type: 'refresh_token', refresh_token: first })
    expect(reused.status).toBe(400)
    expect(reused.body).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Refresh token reuse detected: session revoked',
    })
  })

  it('refuses JSON, a missing client_id and an unknown grant type with the RFC error codes', async () => {
    const asJson = await post(
      '/oauth/token',
      json({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'c' }),
    )
    expect(asJson.status).toBe(400)
    expect((await asJson.json()).error).toBe('invalid_request')
    const noClient = await post('/oauth/token', form({ grant_type: 'refresh_token' }))
    expect(noClient.status).toBe(401)
    expect((await noClient.json()).error).toBe('invalid_client')
    expect((await grant({ grant_type: 'implicit' })).body.error).toBe('unsupported_grant_type')
  })

  it('revokes a refresh token with 200, and answers 200 to an unknown token too', async () => {
    const { refresh_token: token } = (await passwordGrant()).body
    expect((await post('/oauth/revoke', form({ token, client_id: 'etl-console' }))).status).toBe(
      200,
    )
    expect((await post('/oauth/revoke', form({ token: 'unknown' }))).status).toBe(200)

    const after = await grant({ grant_type: 'refresh_token', refresh_token: token })
    expect(after.status).toBe(400)
    expect(after.body.error).toBe('invalid_grant')
  })
})
