import axios from 'axios'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { configureMock, getMockState, resetMock, runScenario } from '../../../mocks/control'
import { db } from '../../../mocks/db'
import { handlers } from '../../../mocks/handlers'
import type { RefreshMode } from '../../../mocks/model'
import {
  createAuthSession,
  createMemoryStorage,
  RefreshRejectedError,
  type AuthEvent,
  type AuthSession,
  type AuthSessionOptions,
  type TokenPair,
  type TokenStorage,
} from '../../../src/core'
import { attachAuthInterceptor } from '../../../src/axios'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'

// The engine against the real mocks (msw/node). MSW keeps the cookies its mocked responses set in
// a jar and sends them back, as a browser would; whether the kit asked for credentials is read
// from each request as it reaches the server.
const API = 'http://api.cookie.test'
const server = setupServer(...handlers)
const seen: { method: string; path: string; credentials: string; bearer: string | null }[] = []
const sessions: AuthSession[] = []

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' })
  server.events.on('request:start', ({ request }) => {
    seen.push({
      method: request.method,
      path: new URL(request.url).pathname,
      credentials: request.credentials,
      bearer: request.headers.get('authorization')?.replace(/^Bearer /, '') ?? null,
    })
  })
})
afterEach(() => {
  sessions.splice(0).forEach((session) => session.destroy())
})
afterAll(() => server.close())

async function useMode(mode: RefreshMode) {
  await resetMock()
  await configureMock({ refresh_mode: mode })
  seen.length = 0
}

async function login(): Promise<TokenPair & { body: Record<string, unknown> }> {
  const response = await fetch(`${API}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'admin@etl.local', password: 'admin123' }),
    credentials: 'include',
  })
  const body = (await response.json()) as Record<string, unknown>
  expect(response.status).toBe(200)
  return { accessToken: body.access_token as string, expiresIn: 300, body }
}

function open(options: AuthSessionOptions & { storage: TokenStorage }) {
  const session = createAuthSession({ baseURL: API, channel: null, ...options })
  sessions.push(session)
  const events: AuthEvent[] = []
  session.onEvent((event) => events.push(event))
  return { session, events }
}

/** Every refresh token the server has issued, spent or not. */
const issuedRefreshTokens = () => Object.keys(db.read().refresh_tokens)
const refreshesAtServer = async () => (await getMockState()).counters.refreshes

describe("refreshCredential: 'cookie'", () => {
  beforeEach(() => useMode('cookie'))

  it('never puts the refresh token in storage or state, even when a response carries one', async () => {
    const storage = createMemoryStorage()
    const { session } = open({ storage, refreshCredential: 'cookie' })
    const pair = await login()
    expect(pair.body).not.toHaveProperty('refresh_token')

    session.setTokens({ ...pair, refreshToken: 'rt-that-a-backend-also-put-in-the-body' })
    await session.refresh()

    expect(session.getState().refreshToken).toBeNull()
    const stored = storage.getItem('token-refresh-kit') ?? ''
    expect(stored).toContain(session.getState().accessToken)
    expect(stored).not.toContain('rt-that-a-backend')
    for (const token of issuedRefreshTokens()) {
      expect(stored).not.toContain(token)
      expect(JSON.stringify(session.getState())).not.toContain(token)
    }
    expect(seen.filter((r) => r.path === '/api/v1/auth/refresh').map((r) => r.credentials)).toEqual(
      ['include'],
    )
  })

  it('resumes after a reload with nothing stored with exactly one silent refresh', async () => {
    const first = open({ storage: createMemoryStorage(), refreshCredential: 'cookie' })
    first.session.setTokens(await login())
    first.session.destroy()

    // A reload: memory storage kept nothing, only the cookie survives.
    const { session, events } = open({
      storage: createMemoryStorage(),
      refreshCredential: 'cookie',
    })
    expect(session.getState().status).toBe('anonymous')
    session.start()
    expect(session.getState().status).toBe('refreshing')
    const token = await session.getAccessToken()

    expect(session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: token,
      refreshToken: null,
      error: null,
    })
    expect(session.getState().user?.email).toBe('admin@etl.local')
    expect(await refreshesAtServer()).toBe(1)
    expect(events.map((event) => event.type)).toEqual(['refresh-started', 'refreshed'])
  })

  it('resumes from a stored access token without calling the server', async () => {
    const storage = createMemoryStorage()
    open({ storage, refreshCredential: 'cookie' }).session.setTokens(await login())

    const { session } = open({ storage, refreshCredential: 'cookie' })
    session.start()

    expect(session.getState().status).toBe('authenticated')
    expect(await refreshesAtServer()).toBe(0)
  })

  it('takes a 401 on the silent refresh as nobody signed in: anonymous, no error, no ended event', async () => {
    const { session, events } = open({
      storage: createMemoryStorage(),
      refreshCredential: 'cookie',
    })
    session.start()
    await expect(session.getAccessToken()).rejects.toThrow()

    expect(session.getState()).toMatchObject({
      status: 'anonymous',
      error: null,
      endReason: null,
      accessToken: null,
    })
    expect(events.some((event) => event.type === 'ended')).toBe(false)
    expect(events.some((event) => event.type === 'refresh-failed')).toBe(false)
    const { counters } = await getMockState()
    expect(counters.refreshes).toBe(1)
    expect(counters.refreshes_rejected).toBe(1)

    // A sign-in afterwards is an ordinary one.
    session.setTokens(await login())
    expect(session.getState().status).toBe('authenticated')
  })

  it('sends the cookie with the logout, which revokes the session on the server and clears the cookie', async () => {
    const { session } = open({ storage: createMemoryStorage(), refreshCredential: 'cookie' })
    session.setTokens(await login())
    await session.logout()

    const logout = seen.find((r) => r.path === '/api/v1/auth/logout')
    expect(logout?.credentials).toBe('include')
    const families = Object.values(db.read().families)
    expect(families).toHaveLength(1)
    expect(families.every((family) => family.revoked_reason === 'logout')).toBe(true)

    // After a reload nothing resumes: the cookie is gone.
    const reloaded = open({ storage: createMemoryStorage(), refreshCredential: 'cookie' })
    reloaded.session.start()
    await expect(reloaded.session.getAccessToken()).rejects.toThrow()
    expect(reloaded.session.getState()).toMatchObject({ status: 'anonymous', error: null })
  })
})

async function hundredRequestsOnAnExpiredToken(
  session: AuthSession,
  { clientKnows = true }: { clientKnows?: boolean } = {},
) {
  const client = axios.create({ baseURL: API })
  attachAuthInterceptor(client, session)
  // Expired for the server; for the client too unless it is to learn it from 100 401s.
  await runScenario({ expire_access_tokens: true })
  if (clientKnows) createDevtoolsHandle(session).forceExpire()
  seen.length = 0
  const before = await refreshesAtServer()
  const statuses = await Promise.all(
    Array.from({ length: 100 }, () =>
      client.get('/api/v1/auth/me').then(
        (response) => response.status,
        (error: { response?: { status: number } }) => error.response?.status ?? 0,
      ),
    ),
  )
  return { statuses, refreshes: (await refreshesAtServer()) - before }
}

describe('single flight with a cookie or a sliding session', () => {
  it('cookie: 100 requests on an expired token make 1 refresh and 100 successes', async () => {
    await useMode('cookie')
    const { session } = open({ storage: createMemoryStorage(), refreshCredential: 'cookie' })
    session.setTokens(await login())

    const { statuses, refreshes } = await hundredRequestsOnAnExpiredToken(session)

    expect(refreshes).toBe(1)
    expect(statuses.filter((status) => status === 200)).toHaveLength(100)
    expect(seen.find((r) => r.path === '/api/v1/auth/refresh')?.credentials).toBe('include')
  })

  it('sliding: 100 requests on an expired token make 1 refresh, with that token as Bearer, and 100 successes', async () => {
    await useMode('sliding')
    const { session } = open({ storage: createMemoryStorage(), refreshCredential: 'access-token' })
    const pair = await login()
    expect(pair.body).not.toHaveProperty('refresh_token')
    session.setTokens(pair)

    const { statuses, refreshes } = await hundredRequestsOnAnExpiredToken(session)

    expect(refreshes).toBe(1)
    expect(statuses.filter((status) => status === 200)).toHaveLength(100)
    const refresh = seen.find((r) => r.path === '/api/v1/auth/refresh')
    expect(refresh?.bearer).toBe(pair.accessToken)
    expect(session.getState()).toMatchObject({ status: 'authenticated', refreshToken: null })
    expect(session.getState().accessToken).not.toBe(pair.accessToken)
  })
})

describe('single flight after 100 401s with a cookie or a sliding session', () => {
  it.each([
    ['cookie', 'cookie'],
    ['sliding', 'access-token'],
  ] as const)(
    '%s: 100 requests the server answers 401 make 1 refresh and 100 retried successes',
    async (mode, refreshCredential) => {
      await useMode(mode)
      const { session } = open({ storage: createMemoryStorage(), refreshCredential })
      session.setTokens(await login())

      const { statuses, refreshes } = await hundredRequestsOnAnExpiredToken(session, {
        clientKnows: false,
      })

      expect(refreshes).toBe(1)
      expect(statuses.filter((status) => status === 200)).toHaveLength(100)
      expect(seen.filter((r) => r.path === '/api/v1/auth/me')).toHaveLength(200)
      expect((await getMockState()).counters).toMatchObject({ reuse_detected: 0 })
    },
  )
})

describe("refreshCredential: 'access-token' (sliding session, seed 003)", () => {
  beforeEach(() => useMode('sliding'))

  it('ends the session once when the refresh answers success: false, failing every waiting request', async () => {
    const { session, events } = open({
      storage: createMemoryStorage(),
      refreshCredential: 'access-token',
    })
    session.setTokens(await login())
    await session.refresh()
    expect(await refreshesAtServer()).toBe(1)

    await runScenario({ revoke_sessions: true })
    createDevtoolsHandle(session).forceExpire()
    const waiting = await Promise.allSettled(
      Array.from({ length: 20 }, () => session.getAccessToken()),
    )

    expect(waiting.every((result) => result.status === 'rejected')).toBe(true)
    expect(await refreshesAtServer()).toBe(2)
    expect(events.filter((event) => event.type === 'ended')).toHaveLength(1)
    const { status, endReason, error } = session.getState()
    expect({ status, endReason }).toEqual({ status: 'ended', endReason: 'refresh-rejected' })
    expect(error).toBeInstanceOf(RefreshRejectedError)
    expect(error?.message).toBe(
      'Refresh was refused: POST /api/v1/auth/refresh answered success: false. The session has ended; sign in again.',
    )
  })
})
