import { classifyRefreshFailure } from './classifyRefreshFailure'
import { RefreshFailedError } from './errors'
import { inSeconds } from './inSeconds'
import type { KeyValueStore } from './types'

/**
 * A 429 or 503 with Retry-After: until then every trigger (ticks, wake-ups, 401s, a manual
 * refresh) is refused without calling the server. The hold is noted in `noteStore` for the other
 * tabs, which read it inside the refresh lock.
 */
export function createRefreshHold(now: () => number, noteStore: KeyValueStore | null, key: string) {
  const holdKey = `${key}:refresh-held-until`
  let heldUntil = 0
  const isHeld = () => now() < heldUntil
  const heldError = () => {
    const waitMs = Math.max(0, heldUntil - now())
    return new RefreshFailedError(
      `Refreshing is held until ${new Date(heldUntil).toISOString()} because the server answered with Retry-After; the next attempt is allowed in ${inSeconds(waitMs)}. The session is kept.`,
      { retryAfterMs: waitMs },
    )
  }
  return {
    isHeld,
    heldError,
    /** Held at least until `deadline`: a wait that ends by then cannot see the token. */
    outlasts: (deadline: number) => isHeld() && heldUntil >= deadline,

    /** Inside the lock: throws if another tab was given a Retry-After that still holds. */
    async throwIfHeldElsewhere() {
      const shared = Number((await noteStore?.get(holdKey)) ?? 0)
      if (shared <= now()) return
      heldUntil = shared
      throw heldError()
    },

    /**
     * Inside the lock, before it is released: holds every tab until the Retry-After `error`
     * carries, or the next holder would read no hold and call inside the window.
     */
    async note(error: unknown) {
      const classified = classifyRefreshFailure(error)
      const retryAfter =
        classified instanceof RefreshFailedError ? (classified.retryAfterMs ?? 0) : 0
      if (retryAfter <= 0 || now() + retryAfter <= heldUntil) return
      heldUntil = now() + retryAfter
      await noteStore?.set(holdKey, String(heldUntil))
    },

    /** A fresh token, from anywhere, ends the hold here; a sign-in here ends it in every tab. */
    release(everywhere: boolean) {
      heldUntil = 0
      if (everywhere) void noteStore?.remove(holdKey)
    },
  }
}

export type RefreshHold = ReturnType<typeof createRefreshHold>
