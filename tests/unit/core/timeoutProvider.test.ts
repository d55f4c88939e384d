import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createAuthSession,
  createMemoryStorage,
  timeoutManager,
  type TimerHandle,
} from '../../../src/core'
import { tokenFor } from './support/jwt'

afterEach(() => timeoutManager.setTimeoutProvider())

/** A timer source the test drives by hand, as a worker or an extension might provide one. */
function manualTimers() {
  const pending = new Map<TimerHandle, () => void>()
  const cleared: TimerHandle[] = []
  let last = 0
  return {
    pending,
    cleared,
    provider: {
      setTimeout(callback: () => void) {
        const handle = { id: ++last }
        pending.set(handle, callback)
        return handle
      },
      clearTimeout(handle: TimerHandle) {
        cleared.push(handle)
        pending.delete(handle)
      },
    },
    runAll() {
      const due = [...pending.values()]
      pending.clear()
      due.forEach((callback) => callback())
    },
  }
}

describe('timeoutManager.setTimeoutProvider', () => {
  it('drives the session’s checks from the provider set, which is only asked to clear its own timers', async () => {
    const timers = manualTimers()
    timeoutManager.setTimeoutProvider(timers.provider)
    let clock = Date.UTC(2026, 0, 1, 9)
    const refresh = vi.fn(async () => ({ accessToken: tokenFor(clock, 300), refreshToken: 'r2' }))
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      refresh,
      now: () => clock,
    })
    session.setTokens({ accessToken: tokenFor(clock, 300), refreshToken: 'r1' })
    session.start()
    expect(timers.pending.size).toBe(1)
    expect(refresh).not.toHaveBeenCalled()

    clock += 250_000
    timers.runAll()
    await vi.waitFor(() => expect(session.getState().refreshCount).toBe(1))

    session.stop()
    expect(timers.pending.size).toBe(0)
    expect(timers.cleared.every((handle) => handle !== null && handle !== undefined)).toBe(true)
    session.destroy()
  })
})
