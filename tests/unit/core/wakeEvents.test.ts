import { describe, expect, it, vi } from 'vitest'
import type { FocusHandle, OnlineHandle, WakeReason } from '../../../src/core'

// The managers are module singletons: each test takes fresh ones, so that a setup swapped here
// is not left to the next test file.
async function freshManagers() {
  vi.resetModules()
  const { focusManager } = await import('../../../src/core/focusManager')
  const { onlineManager } = await import('../../../src/core/onlineManager')
  return { focusManager, onlineManager }
}

describe('focusManager and onlineManager wake the sessions', () => {
  it('on hidden to visible and offline to online only, and say what they last heard', async () => {
    const { focusManager, onlineManager } = await freshManagers()
    const reasons: WakeReason[] = []
    const stopFocus = focusManager.subscribe((reason) => reasons.push(reason))
    const stopOnline = onlineManager.subscribe((reason) => reasons.push(reason))

    focusManager.setVisible(true)
    onlineManager.setOnline(true)
    focusManager.setVisible(false)
    onlineManager.setOnline(false)
    expect(reasons).toEqual([])
    expect([focusManager.isVisible(), onlineManager.isOnline()]).toEqual([false, false])

    focusManager.setVisible(true)
    onlineManager.setOnline(true)
    focusManager.onFocus()
    expect(reasons).toEqual(['visible', 'online', 'focus'])
    expect([focusManager.isVisible(), onlineManager.isOnline()]).toEqual([true, true])

    // The default setup outside a browser wires nothing and has nothing to clean up.
    expect(() => (stopFocus(), stopOnline())).not.toThrow()
  })
})

describe('the default wake events outside a browser', () => {
  it('wire nothing where there is a window but no document (Deno, some workers), and throw nothing', async () => {
    vi.stubGlobal('window', new EventTarget())
    try {
      const { focusManager, onlineManager } = await freshManagers()
      const reasons: WakeReason[] = []
      const leave = [focusManager, onlineManager].map((manager) =>
        manager.subscribe((reason) => reasons.push(reason)),
      )
      window.dispatchEvent(new Event('offline'))
      window.dispatchEvent(new Event('online'))

      expect(reasons).toEqual(['online'])
      leave.forEach((stop) => stop())
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('setEventListener: how a host (an extension, a test) wires its own events', () => {
  it('runs a setup once while anyone listens, and cleans it up when the last listener leaves', async () => {
    const { focusManager } = await freshManagers()
    let host: FocusHandle | undefined
    const cleanup = vi.fn()
    const setup = vi.fn((handle: FocusHandle) => ((host = handle), cleanup))
    const heard: string[] = []

    focusManager.setEventListener(setup)
    expect(setup).not.toHaveBeenCalled()

    const leaveA = focusManager.subscribe((reason) => heard.push(`a:${reason}`))
    const leaveB = focusManager.subscribe((reason) => heard.push(`b:${reason}`))
    expect(setup).toHaveBeenCalledTimes(1)
    host?.onFocus()
    expect(heard).toEqual(['a:focus', 'b:focus'])

    leaveA()
    expect(cleanup).not.toHaveBeenCalled()
    leaveB()
    expect(cleanup).toHaveBeenCalledTimes(1)

    focusManager.subscribe(() => undefined)
    expect(setup).toHaveBeenCalledTimes(2)
  })

  it('swaps a setup while listened to: the old one is cleaned up and the new one wired at once', async () => {
    const { onlineManager } = await freshManagers()
    const heard: WakeReason[] = []
    const leave = onlineManager.subscribe((reason) => heard.push(reason))
    const first = { cleanup: vi.fn(), handle: undefined as OnlineHandle | undefined }
    const second = { cleanup: vi.fn(), handle: undefined as OnlineHandle | undefined }
    const setupOf = (wiring: typeof first) => (handle: OnlineHandle) => {
      wiring.handle = handle
      return wiring.cleanup
    }

    onlineManager.setEventListener(setupOf(first))
    expect(first.handle).toBeDefined()
    onlineManager.setEventListener(setupOf(second))
    expect(first.cleanup).toHaveBeenCalledTimes(1)

    second.handle?.setOnline(false)
    second.handle?.setOnline(true)
    expect(heard).toEqual(['online'])

    leave()
    expect(second.cleanup).toHaveBeenCalledTimes(1)
    expect(first.cleanup).toHaveBeenCalledTimes(1)
  })
})
