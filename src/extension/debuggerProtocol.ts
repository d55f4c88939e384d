import type { RefreshFailure } from './networkRules'

/** A control of the debugger mode, acted on at the network. */
export type NetworkCommand =
  | { type: 'expire' }
  | { type: 'fail-next-refresh'; failure: RefreshFailure }
  | { type: 'set-latency'; ms: number }
  | { type: 'set-refresh-pattern'; pattern: string | null }

/** One control used, what it did, and what the page did next. */
export interface NetworkAction {
  id: string
  label: string
  ok: boolean
  detail: string
  /** "3 requests answered 401 -> 1 refresh -> 3 retried, 200", null before the page acts. */
  next: string | null
}

/** What the popup shows of a tab in debugger mode. */
export interface DebuggerView {
  attached: boolean
  /** The latest Bearer token the page sent: its claims and masked form, never the token. */
  token: { claims: Record<string, unknown> | null; masked: string | null } | null
  expireActive: boolean
  failNextRefresh: RefreshFailure | null
  latencyMs: number
  refreshPattern: string | null
  actions: NetworkAction[]
  /** Why attaching failed or why the debugger went away. */
  error: string | null
}

export const detachedView = (error: string | null = null): DebuggerView => ({
  attached: false,
  token: null,
  expireActive: false,
  failNextRefresh: null,
  latencyMs: 0,
  refreshPattern: null,
  actions: [],
  error,
})

export function describeFailure(failure: RefreshFailure): string {
  switch (failure.kind) {
    case 401:
      return '401 (rejected)'
    case 500:
      return '500 (server error)'
    case 'network':
      return 'network error'
    case 'slow':
      return `slow by ${failure.seconds} s`
  }
}
