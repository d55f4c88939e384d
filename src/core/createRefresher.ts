import { backoffDelay } from './backoffDelay'
import { classifyRefreshFailure } from './classifyRefreshFailure'
import { createAnswerCheck } from './createAnswerCheck'
import { createLockedRefresh, type RefreshAttempt } from './createLockedRefresh'
import { createLoopBreaker } from './createLoopBreaker'
import { createRefreshHold } from './createRefreshHold'
import { createSingleFlight } from './createSingleFlight'
import type { AuthKitError, RefreshFailedError } from './errors'
import { inSeconds } from './inSeconds'
import { isFresh } from './refreshMargin'
import { sessionEndedError } from './sessionEndedError'
import { readRecord } from './sessionRecord'
import type { SessionHost } from './SessionHost'
import type { AccessTokenClaims, AuthState, RefreshReason } from './types'
import { withRetryNote } from './withRetryNote'

// Automatic retries stop after this many failures in a row (about two minutes of backoff), so a
// broken endpoint is not polled forever; a request or a wake-up still tries again.
const MAX_ATTEMPTS = 8

/** The scheduler's retry timer, which the refresher sets after a transient failure. */
export interface RetryTimer {
  pending(): boolean
  cancel(): void
  in(delayMs: number): void
}

/**
 * Refreshes the session's tokens: one call at a time (single flight), under the tabs' lock,
 * within the loop breaker and any Retry-After hold. A rejection ends the session; a transient
 * failure keeps it and is retried with backoff.
 */
export function createRefresher(host: SessionHost, retry: RetryTimer) {
  const { config, store, emit } = host
  const { now, key, storage } = config
  const set = (partial: Partial<AuthState>) => store.setState(partial)
  const flight = createSingleFlight<string>()
  const breaker = createLoopBreaker(now, host.lifetimeMs, emit)
  const hold = createRefreshHold(now, config.noteStore, key)
  const answers = createAnswerCheck(now)
  const refreshHoldingLock = createLockedRefresh(host, { hold, breaker, answers })
  let failures = 0
  // Cookie mode: a session may live in the cookie until a silent refresh has asked (or a
  // transient failure left the question open); `resuming` while that refresh runs.
  let mayResume = config.withCredentials
  let resuming = false

  const run = async (reason: RefreshReason, startedIn: number): Promise<string> => {
    // The flight starts a microtask after the call: a sign-out (or sign-in) in between wins.
    if (host.epoch() !== startedIn) {
      const token = host.peek()
      if (token) return token
      throw sessionEndedError(store.getState())
    }
    const attempt: RefreshAttempt = {
      reason,
      startedIn,
      stale: store.getState().accessToken,
      sentRefreshToken: null,
    }
    if (breaker.isOpen()) {
      const error = breaker.tripped()
      set({ error })
      throw breaker.report(error)
    }
    set({ status: 'refreshing' })
    emit({ type: 'refresh-started', reason })
    try {
      return await refreshHoldingLock(attempt)
    } catch (caught) {
      if (host.epoch() !== attempt.startedIn) throw caught
      return failed(classifyRefreshFailure(caught), attempt.sentRefreshToken)
    }
  }

  const failed = (error: AuthKitError, sentRefreshToken: string | null): string => {
    if (resuming) return notResumed(error)
    if (error.code === 'REFRESH_REJECTED') {
      // Another tab may have rotated the token under us; its result is as good as ours.
      const stored = readRecord(storage, key)
      if (
        stored &&
        stored.refreshToken !== sentRefreshToken &&
        isFresh(stored, config.marginMs, now())
      ) {
        host.adopt(stored, 'refresh', 'other-tab')
        return stored.accessToken
      }
      emit({ type: 'refresh-failed', error, transient: false, retryInMs: null })
      host.endSession('refresh-rejected', error, { announce: true })
      throw error
    }
    if (error.code === 'REFRESH_LOOP') {
      set({ status: 'authenticated', error })
      throw breaker.report(error)
    }
    failures++
    const retryAfter = (error as RefreshFailedError).retryAfterMs ?? 0
    const delay = Math.max(backoffDelay(failures), retryAfter)
    const givingUp = failures >= MAX_ATTEMPTS
    const kept = withRetryNote(
      error,
      givingUp
        ? ` The session is kept; after ${MAX_ATTEMPTS} attempts the next request or wake-up retries.`
        : ` The session is kept; retrying in ${inSeconds(delay)}.`,
      retryAfter,
    )
    set({ status: 'authenticated', error: kept })
    emit({
      type: 'refresh-failed',
      error: kept,
      transient: true,
      retryInMs: givingUp ? null : delay,
    })
    retry.cancel()
    if (!givingUp) retry.in(delay)
    throw kept
  }

  /**
   * The silent refresh of a reload found no session: a rejection means nobody is signed in (no
   * error, no `ended`); a transient failure leaves the question open for the next wake-up.
   */
  const notResumed = (error: AuthKitError): never => {
    resuming = false
    mayResume = error.code !== 'REFRESH_REJECTED'
    set({ status: 'anonymous', error: mayResume ? error : null })
    if (mayResume) emit({ type: 'refresh-failed', error, transient: true, retryInMs: null })
    throw error
  }

  /** Joins the refresh in flight or starts one; within a Retry-After hold, refuses at once. */
  const start = (reason: RefreshReason, force: boolean): Promise<string> | null => {
    const running = flight.current()
    if (running) return running
    if (hold.isHeld()) return Promise.reject(hold.heldError())
    if (retry.pending() && !force) return null
    retry.cancel()
    const startedIn = host.epoch()
    return flight.run(() => run(reason, startedIn))
  }

  return {
    /** Refreshes now, or joins the refresh in flight; a pending backoff retry is brought forward. */
    refreshNow: (reason: RefreshReason) => start(reason, true) as Promise<string>,
    /** As `refreshNow`, but leaves a pending backoff retry to its time: then null. */
    refreshUnlessRetryPending: (reason: RefreshReason) => start(reason, false),
    /** False while the breaker is open or a Retry-After holds: a refresh would only be refused. */
    mayRefresh: () => !breaker.isOpen() && !hold.isHeld(),
    /** The breaker is open: refreshing is paused. */
    paused: () => breaker.isOpen(),
    /** The automatic retries gave up: ticks stop trying until a request or a wake-up does. */
    gaveUp: () => failures >= MAX_ATTEMPTS,
    /** A Retry-After holds refreshing until `deadline` or later. */
    heldPast: (deadline: number) => hold.outlasts(deadline),
    heldError: hold.heldError,
    refuse: answers.refuse,

    /** Cookie mode, nothing stored: asks the server with one silent refresh whether a session lives on. */
    resumeFromCookie() {
      if (!mayResume || store.getState().status !== 'anonymous' || flight.current()) return
      if (breaker.isOpen() || hold.isHeld()) return
      resuming = true
      set({ status: 'refreshing', error: null })
      const startedIn = host.epoch()
      flight.run(() => run('start', startedIn)).catch(() => undefined)
    },

    /** A fresh token, from anywhere, ends any backoff, hold or resume; a sign-in resets the breaker. */
    adopted(
      signIn: boolean,
      source: 'local' | 'network' | 'other-tab',
      claims?: AccessTokenClaims,
    ) {
      resuming = false
      mayResume = false
      retry.cancel()
      failures = 0
      hold.release(signIn && source === 'local')
      answers.learn(claims, source !== 'other-tab')
      if (signIn) breaker.reset()
    },
  }
}

export type Refresher = ReturnType<typeof createRefresher>
