import { decodeJwt, jwtVerify } from 'jose'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAuthHandlers, MockControlError } from '../../../mocks/msw'
import {
  createAuthFetch,
  createAuthSession,
  createMemoryStorage,
  createRefreshAdapter,
} from '../../../src/core'

// A developer's own suite: two backends of theirs, each on its own origin and paths, with its
// own users, and their own protected routes checked against each.
const SHOP = 'https://shop.test'
const SHOP_SECRET = 'shop-test-secret'
const shop = createAuthHandlers({
  baseUrl: SHOP,
  paths: {
    login: '/session/new',
    refresh: '/session/renew',
    logout: '/session/end',
    me: '/account',
  },
  accessTtlSeconds: 120,
  users: [
    { email: 'ann@shop.test', password: 'ann-password', role: 'buyer', permissions: ['orders'] },
    { email: 'bob@shop.test', password: 'bob-password' },
  ],
  refreshMode: 'json',
  reuseDetection: true,
  signingKey: SHOP_SECRET,
})

const BLOG = 'https://blog.test/api'
const blog = createAuthHandlers({
  baseUrl: BLOG,
  paths: { login: '/v2/login', refresh: '/v2/token/refresh', logout: '/v2/logout', me: '/v2/me' },
  accessTtlSeconds: 600,
  users: [{ email: 'cy@blog.test', password: 'cy-password', id: 'writer-1' }],
  refreshMode: 'json',
  reuseDetection: false,
})

const server = setupServer(
  ...shop.handlers,
  ...blog.handlers,
  http.get(
    `${SHOP}/orders`,
    shop.withAuth(({ auth }) => HttpResponse.json({ owner: auth.user.email }), 'orders'),
  ),
  http.get(`${BLOG}/posts`, async ({ request }) => {
    const result = await blog.authenticate(request)
    if (!result.ok) return result.response
    return HttpResponse.json({ author: result.user.id })
  }),
)

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(async () => {
  server.resetHandlers()
  await shop.controls.reset()
  await blog.controls.reset()
})
afterAll(() => server.close())

const postJson = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })

async function signIn(url: string, email: string, password: string) {
  const response = await postJson(url, { email, password })
  expect(response.status).toBe(200)
  const body = (await response.json()) as { access_token: string; refresh_token: string }
  return { access: body.access_token, refresh: body.refresh_token }
}

const ann = () => signIn(`${SHOP}/session/new`, 'ann@shop.test', 'ann-password')
const cy = () => signIn(`${BLOG}/v2/login`, 'cy@blog.test', 'cy-password')
const renewShop = (refresh: string) => postJson(`${SHOP}/session/renew`, { refresh_token: refresh })
const renewBlog = (refresh: string) =>
  postJson(`${BLOG}/v2/token/refresh`, { refresh_token: refresh })
const bearer = (url: string, token: string) =>
  fetch(url, { headers: { Authorization: `Bearer ${token}` } })
const detail = async (response: Response) => ((await response.json()) as { detail: string }).detail

describe('createAuthHandlers', () => {
  it('signs in on the developer’s own path with an HS256 JWT that their secret verifies', async () => {
    const { access, refresh } = await ann()

    const { payload, protectedHeader } = await jwtVerify(
      access,
      new TextEncoder().encode(SHOP_SECRET),
    )
    expect(protectedHeader.alg).toBe('HS256')
    expect(payload).toMatchObject({
      sub: 'usr_1',
      email: 'ann@shop.test',
      username: 'ann',
      role: 'buyer',
      permissions: ['orders'],
    })
    expect(payload.exp! - payload.iat!).toBe(120)
    expect(refresh).toEqual(expect.any(String))
    const me = await bearer(`${SHOP}/account`, access)
    expect(await me.json()).toMatchObject({ email: 'ann@shop.test', role: 'buyer' })
    expect((await shop.controls.state()).counters.logins).toBe(1)
  })

  it('refuses a wrong password with the contract’s 401', async () => {
    const response = await postJson(`${SHOP}/session/new`, {
      email: 'ann@shop.test',
      password: 'not-her-password',
    })
    expect(response.status).toBe(401)
    expect(await detail(response)).toBe('Invalid credentials')
  })

  it('rotates the refresh token on every refresh', async () => {
    const first = await ann()
    const second = (await (await renewShop(first.refresh)).json()) as { refresh_token: string }
    const third = await renewShop(second.refresh_token)

    expect(second.refresh_token).not.toBe(first.refresh)
    expect(third.status).toBe(200)
    expect((await shop.controls.state()).counters.refreshes).toBe(2)
  })

  it('revokes the whole session when a rotated refresh token comes back, and counts it', async () => {
    const first = await ann()
    const renewed = (await (await renewShop(first.refresh)).json()) as {
      access_token: string
      refresh_token: string
    }

    const replay = await renewShop(first.refresh)
    expect(replay.status).toBe(401)
    expect(await detail(replay)).toBe('Refresh token reuse detected: session revoked')
    expect(await detail(await renewShop(renewed.refresh_token))).toBe('Refresh token revoked')
    const orders = await bearer(`${SHOP}/orders`, renewed.access_token)
    expect(orders.status).toBe(401)
    expect(await detail(orders)).toBe('Token revoked')
    const { counters } = await shop.controls.state()
    expect(counters).toMatchObject({ reuse_detected: 1, refreshes: 3, refreshes_rejected: 2 })
  })

  it('without reuse detection refuses a rotated refresh token but keeps the session', async () => {
    const first = await cy()
    const renewed = (await (await renewBlog(first.refresh)).json()) as { refresh_token: string }

    const replay = await renewBlog(first.refresh)
    expect(replay.status).toBe(401)
    expect(await detail(replay)).toBe('Refresh token already used')
    expect((await renewBlog(renewed.refresh_token)).status).toBe(200)
    expect((await blog.controls.state()).counters.reuse_detected).toBe(0)
  })

  it('expireAccessTokens makes the next call with a current token a 401 Token expired', async () => {
    const { access, refresh } = await ann()
    expect((await bearer(`${SHOP}/orders`, access)).status).toBe(200)

    await shop.controls.expireAccessTokens()
    const expired = await bearer(`${SHOP}/orders`, access)
    expect(expired.status).toBe(401)
    expect(await detail(expired)).toBe('Token expired')
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"')

    const renewed = (await (await renewShop(refresh)).json()) as { access_token: string }
    expect((await bearer(`${SHOP}/orders`, renewed.access_token)).status).toBe(200)
    expect((await shop.controls.state()).counters.unauthorized).toBe(1)
  })

  it('failNextRefresh fails that many refreshes with the status asked, then refreshes again', async () => {
    const { refresh } = await ann()
    await shop.controls.failNextRefresh({ count: 2, status: 500 })

    expect((await renewShop(refresh)).status).toBe(500)
    expect((await renewShop(refresh)).status).toBe(500)
    expect((await renewShop(refresh)).status).toBe(200)
    expect((await shop.controls.state()).counters).toMatchObject({
      refreshes: 3,
      refreshes_failed: 2,
    })
  })

  it('failNextRefresh with "network" drops the connection, and with 401 refuses the refresh', async () => {
    const { refresh } = await ann()
    await shop.controls.failNextRefresh({ status: 'network' })
    await expect(renewShop(refresh)).rejects.toThrow(TypeError)

    await shop.controls.failNextRefresh({ status: 401 })
    const refused = await renewShop(refresh)
    expect(refused.status).toBe(401)
    expect(await detail(refused)).toBe('Refresh token rejected (mock scenario)')
  })

  it('revokeSessions ends every session of the instance', async () => {
    const { access, refresh } = await ann()
    await shop.controls.revokeSessions()

    expect(await detail(await bearer(`${SHOP}/orders`, access))).toBe('Token revoked')
    expect(await detail(await renewShop(refresh))).toBe('Refresh token revoked')
  })

  it('keeps each instance to itself: users, tokens, counters and controls', async () => {
    const shopTokens = await ann()
    const blogTokens = await cy()

    expect((await bearer(`${BLOG}/posts`, shopTokens.access)).status).toBe(401)
    expect((await bearer(`${SHOP}/orders`, blogTokens.access)).status).toBe(401)
    expect((await renewBlog(shopTokens.refresh)).status).toBe(401)
    const wrongBackend = await postJson(`${BLOG}/v2/login`, {
      email: 'ann@shop.test',
      password: 'ann-password',
    })
    expect(wrongBackend.status).toBe(401)
    expect(await (await bearer(`${BLOG}/posts`, blogTokens.access)).json()).toEqual({
      author: 'writer-1',
    })

    await shop.controls.expireAccessTokens()
    expect((await bearer(`${BLOG}/posts`, blogTokens.access)).status).toBe(200)
    expect((await shop.controls.state()).counters).toMatchObject({ logins: 1, refreshes: 0 })
    expect((await blog.controls.state()).counters).toMatchObject({ logins: 1, refreshes: 1 })
  })

  it('answers 403 on a protected route without the permission, 401 without a token', async () => {
    const bob = await signIn(`${SHOP}/session/new`, 'bob@shop.test', 'bob-password')
    const forbidden = await bearer(`${SHOP}/orders`, bob.access)
    expect(forbidden.status).toBe(403)
    expect(await detail(forbidden)).toBe('Missing permission: orders')

    const anonymous = await fetch(`${SHOP}/orders`)
    expect(anonymous.status).toBe(401)
    expect(await detail(anonymous)).toBe('Not authenticated')
  })

  it('configure takes effect on the next token; a bad setting names itself and the range', async () => {
    await shop.controls.configure({ accessTtlSeconds: 30 })
    const { access } = await ann()
    const claims = decodeJwt(access)
    expect(claims.exp! - claims.iat!).toBe(30)

    await expect(shop.controls.configure({ latencyMs: -1 })).rejects.toThrow(
      new MockControlError('configure', [
        { field: 'latencyMs', message: 'must be an integer from 0 to 60000' },
      ]),
    )
    expect(() =>
      createAuthHandlers({ baseUrl: SHOP, users: [], paths: { login: 'session/new' } }),
    ).toThrow('[token-refresh-kit mocks] createAuthHandlers: paths.login must start with /')
  })

  it('scopes the refresh cookie to the developer’s refresh path in cookie mode', async () => {
    await shop.controls.configure({ refreshMode: 'cookie' })
    const response = await postJson(`${SHOP}/session/new`, {
      email: 'ann@shop.test',
      password: 'ann-password',
    })
    expect(await response.json()).not.toHaveProperty('refresh_token')
    expect(response.headers.get('set-cookie')).toMatch(
      /^trk_refresh_token=[\w-]+; Path=\/session; HttpOnly; SameSite=Strict; Max-Age=86400$/,
    )
  })

  it('reset returns to the options, the refresh mode included', async () => {
    await shop.controls.configure({ refreshMode: 'cookie', accessTtlSeconds: 30 })
    await ann()
    await shop.controls.reset()
    const { config, counters } = await shop.controls.state()
    expect(config).toMatchObject({ refresh_mode: 'json', access_ttl_seconds: 120 })
    expect(counters.logins).toBe(0)
  })
})

describe('the kit against createAuthHandlers on custom paths', () => {
  it('makes one refresh for many 401s and retries each request once', async () => {
    const session = createAuthSession({
      baseURL: SHOP,
      storage: createMemoryStorage(),
      channel: null,
      refresh: createRefreshAdapter({ baseURL: SHOP, url: '/session/renew' }),
    })
    const authFetch = createAuthFetch(session, { baseURL: SHOP })
    const { access, refresh } = await ann()
    session.setTokens({ accessToken: access, refreshToken: refresh })

    await shop.controls.expireAccessTokens()
    const answers = await Promise.all(Array.from({ length: 6 }, () => authFetch('/orders')))

    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200))
    const { counters } = await shop.controls.state()
    expect(counters.refreshes).toBe(1)
    expect(counters.unauthorized).toBe(6)
    expect(counters.requests).toBe(1 + 6 + 1 + 6)
    session.stop()
  })
})
