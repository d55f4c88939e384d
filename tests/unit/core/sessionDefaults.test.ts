import { describe, expect, it, vi } from 'vitest'
import { createAuthSession, createMemoryStorage, type SessionChannel } from '../../../src/core'
import { advance, createHarness, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

describe('the session defaults (docs/engine.md)', () => {
  it('checks every 30 s: a 300 s token due between two checks is refreshed at the next one', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    // Started 10 s after sign-in: checks at 40 s, 70 s, ... 250 s; the token is due at 240 s.
    await advance(10_000)
    session.start()

    await advance(229_000, 1_000)
    expect(server.state.counters.refreshes).toBe(0)
    // Due since 240 s: the next check, at 250 s, refreshes it.
    await advance(10_000, 1_000)
    expect(server.state.counters.refreshes).toBe(0)
    await advance(2_000, 1_000)
    expect(server.state.counters.refreshes).toBe(1)
  })

  it('keeps a refresh call with no answer for 60 s, then aborts it and calls again', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    server.failNextRefresh('timeout')
    void session.refresh().catch(() => undefined)

    await advance(59_000)
    expect(server.state.counters.refreshes).toBe(1)
    await advance(3_000)
    expect(server.state.counters.refreshes).toBe(2)
    expect(session.getState().status).toBe('authenticated')
  })

  it('leaves open a channel the app passed in when destroyed: it is the app’s to close', () => {
    const close = vi.fn()
    const channel: SessionChannel = {
      post: () => undefined,
      subscribe: () => () => undefined,
      close,
    }
    const session = createAuthSession({ storage: createMemoryStorage(), channel })

    session.destroy()

    expect(close).not.toHaveBeenCalled()
  })
})
