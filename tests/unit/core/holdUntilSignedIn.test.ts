import { describe, expect, it, vi } from 'vitest'
import {
  AuthTimeoutError,
  SessionEndedError,
  UserChangedError,
  createAuthSession,
  createBroadcastSessionChannel,
  createMemoryStorage,
} from '../../../src/core'
import { createFakeBroadcastHub } from '../tabs/support/fakes'
import { API } from './support/authServer'
import {
  advance,
  createHarness,
  flush,
  settle,
  installFakeClock,
  setupTestServer,
} from './support/harness'

setupTestServer()

describe('holdUntilSignedIn', () => {
  /** A tab holding requests and another tab of the same browser, sharing storage and messages. */
  const twoTabs = () => {
    const hub = createFakeBroadcastHub()
    const storage = createMemoryStorage()
    const tabChannel = () => createBroadcastSessionChannel(new hub.FakeChannel('token-refresh-kit'))
    const here = createHarness({
      interceptor: { holdUntilSignedIn: true },
      session: { storage, channel: tabChannel() },
    })
    const other = createAuthSession({
      baseURL: API,
      storage,
      channel: tabChannel(),
      revoke: async () => undefined,
    })
    return { here, other }
  }

  const endByRejectedRefresh = async (harness: ReturnType<typeof createHarness>) => {
    vi.advanceTimersByTime(301_000)
    harness.server.failNextRefresh(401)
    const held = [1, 2, 3].map((i) =>
      settle(harness.client.get('/api/v1/data', { headers: { 'x-req': String(i) } })),
    )
    await flush()
    return held
  }

  it('holds requests while the session has ended and sends them once when the same user signs in', async () => {
    installFakeClock()
    const harness = createHarness({ interceptor: { holdUntilSignedIn: true } })
    const held = await endByRejectedRefresh(harness)
    expect(harness.session.getState().status).toBe('ended')
    expect(held.every((request) => !request.done)).toBe(true)
    const later = settle(harness.client.get('/api/v1/data', { headers: { 'x-req': '4' } }))
    await flush()
    expect(harness.server.state.sent).toHaveLength(0)

    harness.session.setTokens(harness.server.login('user-1'))
    await flush()

    expect([...held, later].map((request) => request.value?.status)).toEqual([200, 200, 200, 200])
    expect(harness.server.state.sent.map((sent) => sent.id).sort()).toEqual(['1', '2', '3', '4'])
  })

  it('drops held requests with UserChangedError when another user signs in', async () => {
    installFakeClock()
    const harness = createHarness({ interceptor: { holdUntilSignedIn: true } })
    const held = await endByRejectedRefresh(harness)

    harness.session.setTokens(harness.server.login('user-2'))
    await flush()

    for (const request of held) {
      expect(request.error).toBeInstanceOf(UserChangedError)
      expect((request.error as Error).message).toMatch(
        /^GET \/api\/v1\/data was held for re-sign-in and dropped/,
      )
    }
    expect(harness.server.state.sent).toHaveLength(0)
  })

  it('waits for a loaded user before judging who signed in again', async () => {
    installFakeClock()
    // Opaque tokens or a /me call: the user comes from a loader, after the tokens.
    const answers: ((user: { sub: string }) => void)[] = []
    const harness = createHarness({
      interceptor: { holdUntilSignedIn: true },
      session: { user: () => new Promise((resolve) => answers.push(resolve)) },
    })
    await flush()
    answers.shift()?.({ sub: 'user-1' })
    await flush()
    expect(harness.session.getState().user).toEqual({ sub: 'user-1' })
    const held = await endByRejectedRefresh(harness)

    harness.session.setTokens(harness.server.login('user-1'))
    await flush()
    expect(harness.session.getState()).toMatchObject({ status: 'authenticated', user: null })
    expect(held.every((request) => !request.done)).toBe(true)
    expect(harness.server.state.sent).toHaveLength(0)

    answers.shift()?.({ sub: 'user-1' })
    await flush()
    expect(held.map((request) => request.value?.status)).toEqual([200, 200, 200])
  })

  it('holds a request whose 401 retry met a rejected refresh, and sends it again after sign-in', async () => {
    installFakeClock()
    const harness = createHarness({ interceptor: { holdUntilSignedIn: true } })
    harness.server.revokeAccessTokens()
    harness.server.failNextRefresh(401)
    const request = settle(harness.client.get('/api/v1/data'))
    await flush()
    expect(request.done).toBe(false)

    harness.session.setTokens(harness.server.login('user-1'))
    await flush()
    expect(request.value?.status).toBe(200)
    expect(harness.server.state.sent.map((sent) => sent.status)).toEqual([401, 200])
  })

  it('gives up holding after signInTimeoutMs', async () => {
    installFakeClock()
    const harness = createHarness({
      interceptor: { holdUntilSignedIn: true, signInTimeoutMs: 60_000 },
    })
    const held = await endByRejectedRefresh(harness)
    await advance(59_000, 1_000)
    expect(held.some((request) => request.done)).toBe(false)
    await advance(2_000, 1_000)
    expect(held[0]?.error).toBeInstanceOf(AuthTimeoutError)
    expect((held[0]?.error as Error).message).toMatch(
      /^GET \/api\/v1\/data was held 1 min for a sign-in that did not come; raise signInTimeoutMs/,
    )
  })

  it('drops held requests with SessionEndedError when the user signs out, and sends them to nobody', async () => {
    installFakeClock()
    const harness = createHarness({ interceptor: { holdUntilSignedIn: true } })
    const held = await endByRejectedRefresh(harness)
    expect(held.some((request) => request.done)).toBe(false)

    await harness.session.logout()
    await flush()

    expect(harness.session.getState()).toMatchObject({ status: 'ended', endReason: 'logout' })
    for (const request of held) {
      expect(request.error).toBeInstanceOf(SessionEndedError)
      expect((request.error as Error).message).toBe(
        'GET /api/v1/data was held for re-sign-in and dropped: the user signed out.',
      )
    }
    // The same user signing in again gets nothing sent that the ended session held.
    harness.session.setTokens(harness.server.login('user-1'))
    await flush()
    expect(harness.server.state.sent).toHaveLength(0)
  })

  it('drops held requests when the user signs out in another tab whose session had ended too', async () => {
    installFakeClock()
    const { here: harness, other } = twoTabs()
    const held = await endByRejectedRefresh(harness)
    expect(other.getState()).toMatchObject({ status: 'ended', endReason: 'ended-elsewhere' })

    await other.logout()
    await flush()

    expect(harness.session.getState()).toMatchObject({
      status: 'ended',
      endReason: 'logout-elsewhere',
    })
    for (const request of held) expect(request.error).toBeInstanceOf(SessionEndedError)
    other.setTokens(harness.server.login('user-1'))
    await flush()
    expect(harness.session.getState().status).toBe('authenticated')
    expect(harness.server.state.sent).toHaveLength(0)
    other.destroy()
  })

  it('sends a request made while a cookie session is resumed, and none is found, without a token', async () => {
    installFakeClock()
    const harness = createHarness({
      signIn: false,
      interceptor: { holdUntilSignedIn: true },
      session: {
        refreshCredential: 'cookie',
        refresh: () => Promise.reject(Object.assign(new Error('no session'), { status: 401 })),
      },
    })
    harness.session.start()
    expect(harness.session.getState().status).toBe('refreshing')

    const request = settle(harness.client.get('/api/v1/data'))
    await flush()

    expect(harness.session.getState()).toMatchObject({ status: 'anonymous', endReason: null })
    // As any request made while nobody is signed in: a public endpoint answers it, this one 401s.
    expect(harness.server.state.sent).toEqual([
      expect.objectContaining({ path: '/api/v1/data', token: null, status: 401 }),
    ])
    expect((request.error as { response?: { status?: number } }).response?.status).toBe(401)
  })

  it('rejects at once, without holding, after a sign-out in another tab', async () => {
    installFakeClock()
    const { here, other } = twoTabs()
    expect(other.getState().status).toBe('authenticated')
    await other.logout()
    await flush()
    expect(here.session.getState()).toMatchObject({
      status: 'ended',
      endReason: 'logout-elsewhere',
    })

    const request = settle(here.client.get('/api/v1/data'))
    await flush()
    expect(request.error).toBeInstanceOf(SessionEndedError)
    expect(here.server.state.sent).toHaveLength(0)
    other.destroy()
  })

  it('rejects with SessionEndedError by default, and after a deliberate sign-out even when holding', async () => {
    installFakeClock()
    const plain = createHarness()
    const held = await endByRejectedRefresh(plain)
    expect(held[0]?.error).toBeInstanceOf(SessionEndedError)

    const holding = createHarness({ interceptor: { holdUntilSignedIn: true } })
    await holding.session.logout()
    await expect(holding.client.get('/api/v1/data')).rejects.toBeInstanceOf(SessionEndedError)
  })
})
