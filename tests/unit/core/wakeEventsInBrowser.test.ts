// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { WakeReason } from '../../../src/core'

// Fresh managers: their default setup runs when the first listener subscribes, here in a DOM.
async function freshManagers() {
  vi.resetModules()
  const { focusManager } = await import('../../../src/core/focusManager')
  const { onlineManager } = await import('../../../src/core/onlineManager')
  return { focusManager, onlineManager }
}

let visibility: DocumentVisibilityState = 'visible'
Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
afterEach(() => {
  visibility = 'visible'
})

const dispatch = {
  focus: () => window.dispatchEvent(new Event('focus')),
  visibility(state: DocumentVisibilityState) {
    visibility = state
    document.dispatchEvent(new Event('visibilitychange'))
  },
  network: (state: 'online' | 'offline') => window.dispatchEvent(new Event(state)),
}

describe('the default wake events in a browser', () => {
  it('wake on window focus, the page shown again and the network back', async () => {
    const { focusManager, onlineManager } = await freshManagers()
    const reasons: WakeReason[] = []
    const stopFocus = focusManager.subscribe((reason) => reasons.push(reason))
    const stopOnline = onlineManager.subscribe((reason) => reasons.push(reason))

    dispatch.focus()
    dispatch.visibility('hidden')
    expect(focusManager.isVisible()).toBe(false)
    dispatch.visibility('visible')
    dispatch.network('offline')
    expect(onlineManager.isOnline()).toBe(false)
    dispatch.network('online')
    stopFocus()
    stopOnline()

    expect(reasons).toEqual(['focus', 'visible', 'online'])
  })

  it('leave no listener behind: after the last listener leaves and one comes back, each event wakes once', async () => {
    const { focusManager, onlineManager } = await freshManagers()
    const added = [vi.spyOn(window, 'addEventListener'), vi.spyOn(document, 'addEventListener')]
    const removed = [
      vi.spyOn(window, 'removeEventListener'),
      vi.spyOn(document, 'removeEventListener'),
    ]
    const reasons: WakeReason[] = []
    focusManager.subscribe(() => undefined)()
    onlineManager.subscribe(() => undefined)()
    // Every handler the managers put on the page is taken off again.
    const calls = (spies: typeof added) =>
      spies.flatMap((spy) => spy.mock.calls.map(([type, fn]) => [type, fn]))
    expect(calls(removed)).toEqual(calls(added))
    expect(calls(added).map(([type]) => type)).toEqual([
      'focus',
      'online',
      'offline',
      'visibilitychange',
    ])

    dispatch.focus()
    focusManager.subscribe((reason) => reasons.push(reason))
    onlineManager.subscribe((reason) => reasons.push(reason))
    dispatch.focus()
    dispatch.visibility('hidden')
    dispatch.visibility('visible')
    dispatch.network('offline')
    dispatch.network('online')

    expect(reasons).toEqual(['focus', 'visible', 'online'])
    vi.restoreAllMocks()
  })
})
