import { db } from './db'
import type { FailRefreshStatus } from './model'

/**
 * The failure `fail_next_refresh` has in store for this refresh, used up; null when none is
 * pending. A dropped connection is counted here as a failed refresh, since the handler answers it
 * with a network error instead of a status.
 */
export function takeRefreshFailure(): FailRefreshStatus | null {
  return db.update((state) => {
    const pending = state.fail_next_refresh
    if (!pending || pending.count <= 0) return null
    pending.count -= 1
    if (pending.count <= 0) state.fail_next_refresh = null
    if (pending.status === 'network') state.counters.refreshes_failed += 1
    return pending.status
  })
}
