import { describe, expect, it } from 'vitest'
import type { BridgeEvent, SessionSnapshot } from '../../../src/devtools/protocol'
import { createTabRegistry } from '../../../src/extension/createTabRegistry'

const snapshot = (refreshCount: number): SessionSnapshot => ({
  status: 'authenticated',
  claims: { email: 'admin@etl.local' },
  expiresAt: 10_000,
  now: 1_000,
  refreshCount,
  lastRefreshAt: null,
  error: null,
  endReason: null,
  maskedToken: 'eyJhbG…abcd',
  mock: true,
})
const expired = (at: number): BridgeEvent => ({ type: 'expired', at, forced: true })

describe('createTabRegistry', () => {
  it('keeps the latest snapshot and the last 50 events of each tab', () => {
    const tabs = createTabRegistry()
    tabs.apply(1, { type: 'hello', snapshot: snapshot(0), events: [] }, 100)
    for (let at = 1; at <= 70; at++) tabs.apply(1, { type: 'event', event: expired(at) })
    tabs.apply(1, { type: 'state', snapshot: snapshot(5) }, 200)

    const view = tabs.view(1)
    expect(view).toMatchObject({ tabId: 1, content: true, bridge: true, receivedAt: 200 })
    expect(view.snapshot?.refreshCount).toBe(5)
    expect(view.events).toHaveLength(50)
    expect(view.events.map((event) => event.at)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 21),
    )
    expect(tabs.view(2)).toMatchObject({ content: false, bridge: false, events: [] })
  })

  it('keeps the history across a reload, without counting an event twice', () => {
    const tabs = createTabRegistry()
    tabs.apply(1, { type: 'hello', snapshot: snapshot(1), events: [expired(1), expired(2)] })
    tabs.disconnect(1)
    expect(tabs.view(1)).toMatchObject({ content: false, bridge: false, snapshot: null })
    expect(tabs.view(1).events).toHaveLength(2)

    // The content script of the reloaded page replays what it heard, some of it known already.
    tabs.sync(1, { bridge: true, snapshot: snapshot(2), events: [expired(2), expired(3)] })
    expect(tabs.view(1).events.map((event) => event.at)).toEqual([1, 2, 3])
    expect(tabs.view(1).bridge).toBe(true)
  })

  it('forgets the bridge on goodbye and the whole tab when it closes', () => {
    const tabs = createTabRegistry()
    tabs.apply(1, { type: 'hello', snapshot: snapshot(1), events: [expired(1)] })
    tabs.apply(1, { type: 'goodbye' })
    expect(tabs.view(1)).toMatchObject({ content: true, bridge: false, snapshot: null })
    tabs.remove(1)
    expect(tabs.has(1)).toBe(false)
    expect(tabs.view(1).events).toEqual([])
  })

  it('knows a page whose content script runs but that has no bridge', () => {
    const tabs = createTabRegistry()
    tabs.sync(3, { bridge: false, snapshot: null, events: [] })
    expect(tabs.view(3)).toMatchObject({ content: true, bridge: false, snapshot: null })
  })
})
