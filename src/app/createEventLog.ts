import { createStore, type StoreApi } from 'zustand/vanilla'
import type { AuthEvent, AuthSession } from 'token-refresh-kit'
import { describeAuthEvent } from 'token-refresh-kit/devtools'

export type LogKind = 'issued' | 'refreshed' | 'retried' | 'failed' | 'expired' | 'ended'

export interface LogEntry {
  id: number
  kind: LogKind
  at: number
  title: string
  detail: string
}

export interface EventLog {
  store: StoreApi<LogEntry[]>
  dispose: () => void
}

const LIMIT = 200
const STORAGE_KEY = 'etl-console:session-log'

// The timeline's icon for each event; `refresh-started` is folded into the `refreshed` after it.
const KINDS = {
  'signed-in': 'issued',
  'refresh-started': null,
  refreshed: 'refreshed',
  'refresh-failed': 'failed',
  retried: 'retried',
  expired: 'expired',
  invalidated: 'expired',
  ended: 'ended',
} satisfies Record<AuthEvent['type'], LogKind | null>

function load(storage: Storage | null): LogEntry[] {
  try {
    const saved: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]')
    return Array.isArray(saved) ? (saved as LogEntry[]).slice(0, LIMIT) : []
  } catch {
    return []
  }
}

/**
 * Keeps the session's events for the Session page timeline, newest first. With `storage`
 * (the app passes sessionStorage) the history outlives a reload of the tab. Entries hold
 * titles, times and request paths, never a token.
 */
export function createEventLog(session: AuthSession, storage: Storage | null = null): EventLog {
  const store = createStore<LogEntry[]>(() => load(storage))
  let nextId = Math.max(0, ...store.getState().map((entry) => entry.id)) + 1
  // Why the refresh in flight started, for the entry of its result.
  let started: string | null = null
  const add = (kind: LogKind, at: number, title: string, detail: string) => {
    store.setState(
      (entries) => [{ id: nextId++, kind, at, title, detail }, ...entries].slice(0, LIMIT),
      true,
    )
    try {
      storage?.setItem(STORAGE_KEY, JSON.stringify(store.getState()))
    } catch {
      // A full or blocked storage costs the history after a reload, nothing else.
    }
  }

  const dispose = session.onEvent((event: AuthEvent) => {
    const { title, detail } = describeAuthEvent(event)
    if (event.type === 'refresh-started') {
      started = detail
      return
    }
    const kind = KINDS[event.type]
    if (kind === null) return
    if (event.type === 'refreshed') {
      add(kind, event.at, title, started ? `${started} · ${detail}` : detail)
      started = null
      return
    }
    add(kind, event.at, title, detail)
  })
  return { store, dispose }
}
