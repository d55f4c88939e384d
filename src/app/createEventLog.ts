import { createStore, type StoreApi } from 'zustand/vanilla'
import type { AuthEvent, AuthSession, RefreshReason } from 'token-refresh-kit'

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

const endReasons: Record<string, string> = {
  logout: 'signed out in this tab',
  'logout-elsewhere': 'signed out in another tab',
  'refresh-rejected': 'the server refused the refresh token',
  'ended-elsewhere': 'another tab’s refresh was refused',
}

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString()
}

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
  let reason: RefreshReason | null = null
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
    switch (event.type) {
      case 'signed-in':
        add(
          'issued',
          event.at,
          'Signed in, token issued',
          `${event.user?.email ?? event.user?.sub ?? 'user'}${event.source === 'other-tab' ? ' (in another tab)' : ''}`,
        )
        break
      case 'refresh-started':
        reason = event.reason
        break
      case 'refreshed':
        add(
          'refreshed',
          event.at,
          event.source === 'other-tab' ? 'Token adopted from another tab' : 'Token refreshed',
          `${reason ? `reason: ${reason} · ` : ''}valid until ${time(event.expiresAt)}`,
        )
        reason = null
        break
      case 'refresh-failed':
        add(
          'failed',
          event.at,
          event.transient ? 'Refresh failed, will retry' : 'Refresh rejected',
          `${event.error.message}${event.retryInMs !== null ? ` · retry in ${Math.ceil(event.retryInMs / 1000)} s` : ''}`,
        )
        break
      case 'retried':
        add(
          'retried',
          event.at,
          'Request retried after a 401',
          `${event.method.toUpperCase()} ${event.url}`,
        )
        break
      case 'expired':
        add(
          'expired',
          event.at,
          'Token expired',
          event.forced ? 'forced by a tester' : 'reached its expiry',
        )
        break
      case 'invalidated':
        add('expired', event.at, 'Token invalidated', 'signature tampered by a tester')
        break
      case 'ended':
        add('ended', event.at, 'Session ended', endReasons[event.reason] ?? event.reason)
        break
    }
  })
  return { store, dispose }
}
