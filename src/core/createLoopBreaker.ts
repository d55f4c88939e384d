import { createBreaker } from './createBreaker'
import { RefreshLoopError, type AuthKitError } from './errors'
import { inSeconds } from './inSeconds'
import type { AuthEventInput, RefreshReason } from './types'

/** Each refresh reason as it reads after a count, in the breaker's message. */
const AS_DRIVEN: Record<RefreshReason, string> = {
  scheduled: 'scheduled before expiry',
  expired: 'for a token already expired',
  unauthorized: 'after a 401',
  manual: 'refresh() calls',
  visible: 'when the page became visible',
  focus: 'on focus',
  online: 'on going online',
  start: 'at start',
}

/**
 * The breaker that stops a refresh loop: more refreshes in a minute than the token's lifetime
 * calls for pause refreshing, with an error that names what drove them.
 */
export function createLoopBreaker(
  now: () => number,
  lifetimeMs: () => number,
  emit: (event: AuthEventInput) => void,
) {
  const breaker = createBreaker<RefreshReason>(now)
  // Ten a minute, or twice what the token's lifetime calls for (a tester's 5 s tokens need 15).
  const limit = () => Math.max(10, Math.ceil(120_000 / Math.max(lifetimeMs(), 5_000)))

  /** Names what drove the refreshes: 401s to fresh tokens, `refresh()` calls, short-lived tokens, or each reason's count. */
  const tripped = () => {
    const lifetime = lifetimeMs()
    const reasons = breaker.reasons()
    const [top] = reasons
    const count = breaker.count()
    const cause =
      top?.reason === 'unauthorized' && top.count * 2 > count
        ? `${top.count} of them followed a 401 to a token the server had just issued: check how the server validates tokens (its clock, signing key, audience).`
        : top?.reason === 'manual' && top.count * 2 > count
          ? `${top.count} of them were refresh() calls: call it less often.`
          : lifetime > 0 && lifetime < 30_000
            ? `The tokens live only ${inSeconds(lifetime)}: have the server issue tokens that live longer.`
            : `They were ${reasons
                .map(({ reason, count }) => `${count} ${AS_DRIVEN[reason]}`)
                .join(', ')}.`
    return new RefreshLoopError(
      `Too many refreshes (${count} in a minute, for tokens that live ${inSeconds(lifetime)}): refreshing is paused for ${inSeconds(breaker.reopensInMs(limit()))}. ${cause}`,
    )
  }

  return {
    isOpen: () => breaker.isOpen(limit()),
    /** Counts a refresh about to be sent; throws the breaker's error instead when it is open. */
    acquire(reason: RefreshReason) {
      if (!breaker.tryAcquire(limit(), reason)) throw tripped()
    },
    tripped,
    /** The breaker keeps the session: the failure is transient and says when refreshing resumes. */
    report(error: AuthKitError) {
      emit({
        type: 'refresh-failed',
        error,
        transient: true,
        retryInMs: breaker.reopensInMs(limit()),
      })
      return error
    },
    reset: () => breaker.reset(),
  }
}

export type LoopBreaker = ReturnType<typeof createLoopBreaker>
