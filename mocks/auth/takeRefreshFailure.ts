import type { AuthState } from './authModel'
import type { FailRefreshStatus } from './failRefreshStatus'
import type { StateStore } from './createStateStore'

/**
 * The failure `fail_next_refresh` has in store for this refresh, used up; null when none is
 * pending. A dropped connection is counted here as a failed refresh, since the handler answers it
 * with a network error instead of a status.
 */
export function takeRefreshFailure(store: StateStore<AuthState>): FailRefreshStatus | null {
  return store.update((state) => {
    const pending = state.fail_next_refresh
    if (!pending || pending.count <= 0) return null
    pending.count -= 1
    if (pending.count <= 0) state.fail_next_refresh = null
    if (pending.status === 'network') state.counters.refreshes_failed += 1
    return pending.status
  })
}

/** Counts a refresh that ended in an error: a 5xx is a failure the client retries, else refused. */
export function countRefreshError(store: StateStore<AuthState>, failed: boolean): void {
  store.update((state) => {
    if (failed) state.counters.refreshes_failed += 1
    else state.counters.refreshes_rejected += 1
  })
}
