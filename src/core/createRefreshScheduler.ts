import type { Refresher, RetryTimer } from './createRefresher'
import { focusManager } from './focusManager'
import { onlineManager } from './onlineManager'
import { refreshMargin } from './refreshMargin'
import type { SessionHost } from './SessionHost'
import { timeoutManager, type TimerHandle } from './timeoutManager'
import type { RefreshReason } from './types'

/**
 * Decides when to refresh: a tick (every `tickSeconds`, more often for short-lived tokens), the
 * page becoming visible or focused, the network coming back, and the retry after a failure.
 */
export function createRefreshScheduler(
  {
    config,
    store,
    emit,
    lifetimeMs,
  }: Pick<SessionHost, 'config' | 'store' | 'emit' | 'lifetimeMs'>,
  refresher: () => Refresher,
) {
  const getState = store.getState
  const { now } = config
  let running = false
  let tickTimer: TimerHandle = null
  let retryTimer: TimerHandle = null
  let stopWaking: (() => void) | null = null
  // The token an `expired` event was sent for, so that each expiry is reported once.
  let reportedExpired: string | null = null

  const margin = () => refreshMargin(config.marginMs, lifetimeMs())

  /** Refreshes when the token is within its margin of expiry, unless that would be refused. */
  const refreshIfDue = (reason: RefreshReason) => {
    const { status, expiresAt, accessToken } = getState()
    if (status !== 'authenticated' || expiresAt === null) return
    const remaining = expiresAt - now()
    if (remaining <= 0 && reportedExpired !== accessToken) {
      reportedExpired = accessToken
      emit({ type: 'expired', forced: false })
    }
    const quiet = reason === 'scheduled' && refresher().gaveUp()
    if (remaining > margin() || quiet || !refresher().mayRefresh()) return
    const refresh =
      reason === 'scheduled'
        ? refresher().refreshUnlessRetryPending(reason)
        : refresher().refreshNow(reason)
    refresh?.catch(() => undefined)
  }

  /** Sets the next tick from the current token's lifetime; none while stopped. */
  const reschedule = () => {
    timeoutManager.clearTimeout(tickTimer)
    tickTimer = null
    if (!running) return
    const interval = Math.max(250, Math.min(config.tickMs, margin() / 2))
    tickTimer = timeoutManager.setTimeout(() => {
      refreshIfDue('scheduled')
      reschedule()
    }, interval)
  }

  const wake = (reason: RefreshReason) => {
    refresher().resumeFromCookie()
    refreshIfDue(reason)
  }

  const cancelRetry = () => {
    timeoutManager.clearTimeout(retryTimer)
    retryTimer = null
  }
  const retry: RetryTimer = {
    pending: () => retryTimer !== null,
    cancel: cancelRetry,
    in(delayMs) {
      cancelRetry()
      retryTimer = timeoutManager.setTimeout(() => {
        retryTimer = null
        if (getState().status === 'authenticated') {
          refresher()
            .refreshUnlessRetryPending('scheduled')
            ?.catch(() => undefined)
        }
      }, delayMs)
    },
  }

  return {
    refreshIfDue,
    reschedule,
    /** An `expired` event for `token` has been sent already (a tester expired it). */
    markExpired(token: string) {
      reportedExpired = token
    },
    retry,
    start() {
      if (running) return
      running = true
      const unsubscribeFocus = focusManager.subscribe(wake)
      const unsubscribeOnline = onlineManager.subscribe(wake)
      stopWaking = () => {
        unsubscribeFocus()
        unsubscribeOnline()
      }
      reschedule()
      wake('start')
    },
    stop() {
      running = false
      stopWaking?.()
      stopWaking = null
      reschedule()
      cancelRetry()
    },
  }
}

export type RefreshScheduler = ReturnType<typeof createRefreshScheduler>
