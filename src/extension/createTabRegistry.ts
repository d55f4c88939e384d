import { EVENT_HISTORY_LIMIT, type BridgeEvent, type PageMessage } from 'token-refresh-kit/devtools'
import type { BridgeCache, TabView } from './messages'

export interface TabRegistry {
  /** The tab's view; an empty one for a tab never heard of. */
  view(tabId: number): TabView
  has(tabId: number): boolean
  /** A content script (re)connected and told what it knows. */
  sync(tabId: number, cache: BridgeCache, now?: number): TabView
  /** A message relayed from the page; returns the new view. */
  apply(tabId: number, message: PageMessage, now?: number): TabView
  /** The content script went away (navigation, closed tab); the history stays. */
  disconnect(tabId: number): TabView
  remove(tabId: number): void
}

const keyOf = (event: BridgeEvent) => `${event.type}:${event.at}`

/** Merges two histories without duplicates, oldest first, keeping the newest `limit`. */
export function mergeEvents(kept: BridgeEvent[], incoming: BridgeEvent[]): BridgeEvent[] {
  const seen = new Set(kept.map(keyOf))
  const merged = [...kept, ...incoming.filter((event) => !seen.has(keyOf(event)))]
  merged.sort((a, b) => a.at - b.at)
  return merged.slice(-EVENT_HISTORY_LIMIT)
}

/**
 * The service worker's memory of each tab: the latest session snapshot and the last 50
 * events. The history survives the page's reloads, so a tester sees what led to one.
 */
export function createTabRegistry(): TabRegistry {
  const tabs = new Map<number, TabView>()
  const empty = (tabId: number): TabView => ({
    tabId,
    content: false,
    bridge: false,
    snapshot: null,
    receivedAt: null,
    events: [],
  })
  const update = (tabId: number, change: (view: TabView) => Partial<TabView>) => {
    const current = tabs.get(tabId) ?? empty(tabId)
    const next = { ...current, ...change(current) }
    tabs.set(tabId, next)
    return next
  }

  return {
    view: (tabId) => tabs.get(tabId) ?? empty(tabId),
    has: (tabId) => tabs.has(tabId),
    sync: (tabId, cache, now = Date.now()) =>
      update(tabId, (view) => ({
        content: true,
        bridge: cache.bridge,
        snapshot: cache.snapshot,
        receivedAt: cache.snapshot ? now : null,
        events: mergeEvents(view.events, cache.events),
      })),
    apply: (tabId, message, now = Date.now()) =>
      update(tabId, (view) => {
        switch (message.type) {
          case 'hello':
            return {
              content: true,
              bridge: true,
              snapshot: message.snapshot,
              receivedAt: now,
              events: mergeEvents(view.events, message.events),
            }
          case 'state':
            return { content: true, bridge: true, snapshot: message.snapshot, receivedAt: now }
          case 'event':
            return {
              content: true,
              bridge: true,
              events: mergeEvents(view.events, [message.event]),
            }
          case 'goodbye':
            return { bridge: false, snapshot: null, receivedAt: null }
          case 'result':
            return {}
        }
      }),
    disconnect: (tabId) =>
      update(tabId, () => ({ content: false, bridge: false, snapshot: null, receivedAt: null })),
    remove: (tabId) => void tabs.delete(tabId),
  }
}
