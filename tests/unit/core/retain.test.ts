import { describe, expect, it, vi } from 'vitest'
import { advance, createHarness, flush, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

const microtasks = () => Promise.resolve().then(() => undefined)

describe('session.retain', () => {
  it('refreshes while any host retains the session, and stops after the last releases it', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    const releaseWidget = session.retain()
    const releasePage = session.retain()

    releaseWidget()
    await microtasks()
    await advance(299_000)
    expect(server.state.counters.refreshes).toBe(1)

    releasePage()
    await microtasks()
    await advance(600_000)
    expect(server.state.counters.refreshes).toBe(1)
  })

  it('neither stops nor restarts on a release and a retain in one task (StrictMode)', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    const start = vi.spyOn(session, 'start')
    const stop = vi.spyOn(session, 'stop')

    session.retain()()
    const release = session.retain()
    await microtasks()
    expect(start).toHaveBeenCalledTimes(1)
    expect(stop).not.toHaveBeenCalled()
    await advance(299_000)
    expect(server.state.counters.refreshes).toBe(1)

    release()
    await flush()
    expect(stop).toHaveBeenCalledTimes(1)
  })

  it('counts a release called twice once, so another host keeps the scheduler', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    const release = session.retain()
    session.retain()

    release()
    release()
    await microtasks()
    await advance(299_000)

    expect(server.state.counters.refreshes).toBe(1)
  })

  it('starts again when a host retains it after the last one released it (a remounted app)', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    session.retain()()
    await microtasks()

    session.retain()
    await advance(299_000)

    expect(server.state.counters.refreshes).toBe(1)
  })
})
