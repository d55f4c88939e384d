// The example of docs/msw.md, run as it is; docsExampleInSync.test.ts keeps the two equal.
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import {
  createAuthFetch,
  createAuthSession,
  createMemoryStorage,
  createRefreshAdapter,
} from '../../../src/core'
import { createAuthHandlers } from '../../../mocks/msw'

const API = 'https://api.example.test'

const auth = createAuthHandlers({
  baseUrl: API,
  paths: { login: '/auth/sign-in', refresh: '/auth/token', logout: '/auth/sign-out', me: '/me' },
  accessTtlSeconds: 60,
  users: [{ email: 'ada@example.test', password: 'correct horse', permissions: ['orders:read'] }],
  refreshMode: 'json',
  reuseDetection: true,
})

// Your own API: `withAuth` answers 401/403 for you and hands over the caller.
const server = setupServer(
  ...auth.handlers,
  http.get(
    `${API}/orders`,
    auth.withAuth(
      ({ auth }) => HttpResponse.json([{ id: 1, owner: auth.user.email }]),
      'orders:read',
    ),
  ),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => auth.controls.reset())
afterAll(() => server.close())

async function signIn(email: string, password: string) {
  const response = await fetch(`${API}/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  return (await response.json()) as { access_token: string; refresh_token: string }
}

it('refreshes once for all the requests that met an expired token', async () => {
  const session = createAuthSession({
    storage: createMemoryStorage(),
    channel: null, // one tab: no cross-tab channel in a test
    refresh: createRefreshAdapter({ baseURL: API, url: '/auth/token' }),
  })
  const authFetch = createAuthFetch(session, { baseURL: API })
  const tokens = await signIn('ada@example.test', 'correct horse')
  session.setTokens({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token })

  await auth.controls.expireAccessTokens()
  const answers = await Promise.all([1, 2, 3].map(() => authFetch('/orders')))

  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200])
  expect((await auth.controls.state()).counters.refreshes).toBe(1)
  session.stop()
})

it('revokes the session when a rotated refresh token is replayed', async () => {
  const first = await signIn('ada@example.test', 'correct horse')
  const refresh = (token: string) =>
    fetch(`${API}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: token }),
    })

  expect((await refresh(first.refresh_token)).status).toBe(200)
  expect((await refresh(first.refresh_token)).status).toBe(401)
  expect((await auth.controls.state()).counters.reuse_detected).toBe(1)
})
