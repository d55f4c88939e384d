import { describe, expect, it, vi } from 'vitest'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'
import { createHarness, flush, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

describe('what a sign-in and a refresh leave in the state and the events', () => {
  it('a sign-in in this tab is reported as local and sets no lastRefreshAt; a refresh sets it', async () => {
    installFakeClock()
    const { session, events } = createHarness()
    expect(events).toEqual([expect.objectContaining({ type: 'signed-in', source: 'local' })])
    expect(session.getState()).toMatchObject({ refreshCount: 0, lastRefreshAt: null })

    vi.advanceTimersByTime(10_000)
    await session.refresh()

    expect(session.getState()).toMatchObject({ refreshCount: 1, lastRefreshAt: Date.now() })
  })

  it("a request that finds the token expired starts a refresh for reason 'expired', not 'unauthorized'", async () => {
    installFakeClock()
    const { server, session, client, events } = createHarness()
    createDevtoolsHandle(session).forceExpire()

    await client.get('/api/v1/data')

    expect(server.state.counters.refreshes).toBe(1)
    expect(events.filter((event) => event.type === 'refresh-started')).toEqual([
      expect.objectContaining({ reason: 'expired' }),
    ])
  })
})

describe('logout()', () => {
  it('with nobody signed in does nothing: no ended event, no revoke call', async () => {
    installFakeClock()
    const revoke = vi.fn(async () => undefined)
    const { session, events } = createHarness({ signIn: false, session: { revoke } })

    await session.logout()

    expect(session.getState()).toMatchObject({ status: 'anonymous', endReason: null })
    expect(events).toEqual([])
    expect(revoke).not.toHaveBeenCalled()
  })

  it('a second logout() revokes nothing more: the tokens went with the first', async () => {
    installFakeClock()
    const revoke = vi.fn(async () => undefined)
    const { session } = createHarness({ session: { revoke } })

    await session.logout()
    await session.logout()
    await flush()

    expect(revoke).toHaveBeenCalledTimes(1)
    expect(session.getState()).toMatchObject({ status: 'ended', endReason: 'logout' })
  })
})
