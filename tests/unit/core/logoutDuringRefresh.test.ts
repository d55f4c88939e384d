import { HttpResponse, delay, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { SessionEndedError, type AuthEvent, type RefreshCoordinator } from '../../../src/core'
import { API, mswServer } from './support/authServer'
import {
  advance,
  createHarness,
  installFakeClock,
  settle,
  setupTestServer,
} from './support/harness'

setupTestServer()

const KEY = 'token-refresh-kit'
const failures = (events: AuthEvent[]) => events.filter((event) => event.type === 'refresh-failed')

describe('a sign-out while a refresh runs', () => {
  it('keeps the user signed out when the refresh answers after logout()', async () => {
    installFakeClock()
    const { server, session, storage, events } = createHarness()
    server.failNextRefresh({ slowMs: 2_000 })
    const refresh = settle(session.refresh())
    await advance(500)
    expect(server.state.inFlight).toBe(1)

    await session.logout()
    await advance(3_000)

    expect(server.state.counters.refreshesOk).toBe(1)
    expect(refresh.error).toBeInstanceOf(SessionEndedError)
    expect(session.getState()).toMatchObject({
      status: 'ended',
      endReason: 'logout',
      accessToken: null,
      refreshToken: null,
    })
    expect(storage.getItem(KEY)).toBeNull()
    expect(events.map((event) => event.type)).not.toContain('refreshed')
    expect(failures(events)).toEqual([])
  })

  it.each([401, 503])(
    'keeps logout() as the end when the refresh then fails with %i: no refresh-failed, no second end',
    async (status) => {
      installFakeClock()
      const { session, events } = createHarness()
      mswServer.use(
        http.post(`${API}/api/v1/auth/refresh`, async () => {
          await delay(2_000)
          return HttpResponse.json({ detail: 'refresh failed' }, { status })
        }),
      )
      const refresh = settle(session.refresh())
      await advance(500)
      await session.logout()
      await advance(3_000)

      expect(refresh.done).toBe(true)
      expect(session.getState()).toMatchObject({
        status: 'ended',
        endReason: 'logout',
        error: null,
        accessToken: null,
      })
      expect(events.filter((event) => event.type === 'ended')).toHaveLength(1)
      expect(failures(events)).toEqual([])
      // No retry was scheduled for the session that is gone.
      await advance(35_000, 5_000)
      expect(session.getState()).toMatchObject({ status: 'ended', endReason: 'logout' })
      expect(events.filter((event) => event.type === 'refresh-started')).toHaveLength(1)
    },
  )

  it('never sends the refresh token when logout() comes before the refresh reaches the lock', async () => {
    installFakeClock()
    const { server, session, events } = createHarness()
    const refresh = settle(session.refresh())
    await session.logout()
    await advance(1_000)

    expect(server.state.counters.refreshes).toBe(0)
    expect(refresh.error).toBeInstanceOf(SessionEndedError)
    expect(session.getState()).toMatchObject({ status: 'ended', accessToken: null })
    expect(failures(events)).toEqual([])
  })

  it('never sends the refresh token when logout() comes while the refresh waits for the lock', async () => {
    installFakeClock()
    // Another tab holds the lock for a second.
    const busyElsewhere: RefreshCoordinator = {
      runExclusive: async (_name, fn) => {
        await new Promise((resolve) => setTimeout(resolve, 1_000))
        return fn()
      },
    }
    const { server, session, events } = createHarness({ session: { coordinator: busyElsewhere } })
    const refresh = settle(session.refresh())
    await advance(500)
    expect(session.getState().status).toBe('refreshing')
    await session.logout()
    await advance(1_000)

    expect(server.state.counters.refreshes).toBe(0)
    expect(refresh.error).toBeInstanceOf(SessionEndedError)
    expect(session.getState()).toMatchObject({ status: 'ended', endReason: 'logout' })
    expect(failures(events)).toEqual([])
  })
})

describe('a sign-in while a refresh starts', () => {
  it('answers refresh() with the new token when setTokens() follows in the same task, without a call', async () => {
    installFakeClock()
    const { server, session, events } = createHarness()
    const refresh = session.refresh()
    const pair = server.login()
    session.setTokens(pair)

    await expect(refresh).resolves.toBe(pair.accessToken)
    expect(server.state.counters.refreshes).toBe(0)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(events.map((event) => event.type)).not.toContain('refresh-started')
  })

  it('answers refresh() with the new token when setTokens() comes while the call is out, dropping the late answer', async () => {
    installFakeClock()
    const { server, session, events } = createHarness()
    server.failNextRefresh({ slowMs: 2_000 })
    const refresh = settle(session.refresh())
    await advance(500)
    expect(server.state.inFlight).toBe(1)
    const pair = server.login()
    session.setTokens(pair)
    await advance(3_000)

    expect(refresh.value).toBe(pair.accessToken)
    expect(server.state.counters.refreshesOk).toBe(1)
    expect(session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: pair.accessToken,
      refreshCount: 0,
    })
    expect(events.map((event) => event.type)).not.toContain('refreshed')
  })
})
