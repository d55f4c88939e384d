import type { StoreApi } from 'zustand/vanilla'
import { backoffDelay } from './backoffDelay'
import { callRefresh } from './callRefresh'
import { classifyRefreshFailure } from './classifyRefreshFailure'
import { createLoopBreaker } from './createLoopBreaker'
import { createRefreshHold } from './createRefreshHold'
import { createSingleFlight } from './createSingleFlight'
import type { TokenReader } from './createTokenReader'
import {
  InvalidRefreshResponseError,
  RefreshFailedError,
  type AuthKitError,
  type SessionEndedError,
} from './errors'
import { inSeconds } from './inSeconds'
import { refreshMargin } from './refreshMargin'
import type { SessionConfig } from './resolveSessionOptions'
import { loadRecord, newestRecord, readRecord, saveRecord, writeRecord } from './sessionRecord'
import type { AccessTokenClaims, AuthEventInput, AuthState, EndReason } from './types'
import type { RefreshReason, SessionRecord, TokenPair } from './types'
import { unusableAnswer } from './unusableAnswer'
import { withRetryNote } from './withRetryNote'

// Automatic retries stop after this many failures in a row (about two minutes of backoff), so a
// broken endpoint is not polled forever; a request or a wake-up still tries again.
const MAX_ATTEMPTS = 8

/** What the refresher needs of the session that owns it. */
export interface RefresherHost {
  config: SessionConfig
  store: StoreApi<AuthState>
  reader: TokenReader
  emit(event: AuthEventInput): void
  /** Bumped by every sign-in and sign-out: a refresh that straddles one is discarded. */
  epoch(): number
  lifetimeMs(): number
  /** The record the session holds, or null. */
  own(): SessionRecord | null
  /** The access token if it can be sent now. */
  peek(): string | null
  sessionEnded(): SessionEndedError
  adopt(
    record: SessionRecord,
    kind: 'refresh',
    source: 'network' | 'other-tab',
    idToken?: string | null,
  ): void
  endSession(reason: EndReason, error: AuthKitError, options: { announce: boolean }): void
  /** The scheduler's retry timer. */
  retry: { pending(): boolean; cancel(): void; in(delayMs: number): void }
}

/**
 * Refreshes the session's tokens: one call at a time (single flight), one tab at a time (the
 * refresh lock), within the breaker and any Retry-After hold; a rejection ends the session, a
 * transient failure is retried with backoff.
 */
export function createRefresher(host: RefresherHost) {
  const { config, store, reader, emit, retry } = host
  const { now, key, storage, tabStore, noteStore, maxRefreshCallMs, lockTimeoutMs } = config
  const get = store.getState
  const set = (partial: Partial<AuthState>) => store.setState(partial)
  const flight = createSingleFlight<string>()
  const breaker = createLoopBreaker(now, host.lifetimeMs, emit)
  const hold = createRefreshHold(now, noteStore, key)
  // Until when this tab's refresh call may still be answered (no secret: a time), so that tabs
  // waiting for the lock wait for it instead of taking its holder for frozen.
  const busyKey = `${key}:refresh-call-until`
  let failures = 0
  // Access tokens the server answered 401 to: a refresh that hands one back is unusable.
  let rejectedToken: string | null = null
  // The server's clock minus ours, seen from the last token's `iat`: tells an expired token apart.
  let serverOffsetMs: number | null = null
  // Cookie mode: a session may live in the cookie until a silent refresh has asked (or a
  // transient failure left the question open); `resuming` while that refresh runs.
  let mayResume = config.withCredentials
  let resuming = false

  const isFresh = (record: SessionRecord) =>
    record.expiresAt - now() > refreshMargin(config.marginMs, record.lifetimeMs)

  const busyForMs = async () => {
    const until = Number((await noteStore?.get(busyKey)) ?? 0)
    return Number.isFinite(until) ? Math.min(maxRefreshCallMs, until - now()) : 0
  }

  /** Keeps a refresh token rotated in an unusable answer, so that the retry does not present the spent one. */
  const keepRotated = async (pair: TokenPair, sent: string | null) => {
    const rotated = pair?.refreshToken
    if (!config.keepsRefreshToken || typeof rotated !== 'string' || !rotated || rotated === sent) {
      return
    }
    set({ refreshToken: rotated })
    const current = host.own()
    if (!current) return
    writeRecord(storage, key, current)
    await saveRecord(tabStore, key, current)
  }

  /** Holding the lock: adopts what another tab committed meanwhile, or calls the server. */
  const refreshHoldingLock = async (
    reason: RefreshReason,
    startedIn: number,
    stale: string | null,
    sent: { refreshToken: string | null },
  ): Promise<string> => {
    const superseded = () => {
      const token = host.peek()
      if (token) return token
      throw host.sessionEnded()
    }
    // Tab store: the last holder committed its record there before releasing the lock;
    // storage and this tab's state may still lag behind it, or lead it (no IndexedDB there).
    const committed = await loadRecord(tabStore, key)
    if (host.epoch() !== startedIn) return superseded()
    // Storage first: another tab may have refreshed while this one waited, and sending the
    // refresh token it rotated would trip the server's reuse detection. The committed record
    // wins a tie: it was written inside the lock.
    const stored = newestRecord(committed, readRecord(storage, key), host.own())
    if (stored && stored.accessToken !== stale && isFresh(stored)) {
      if (stored.accessToken !== get().accessToken) host.adopt(stored, 'refresh', 'other-tab')
      return stored.accessToken
    }
    await hold.throwIfHeldElsewhere()
    breaker.acquire(reason)
    sent.refreshToken = stored?.refreshToken ?? get().refreshToken
    await noteStore?.set(busyKey, String(now() + maxRefreshCallMs))
    const sentAt = now()
    const pair = await callRefresh(
      config.refreshFn,
      sent.refreshToken,
      stored?.accessToken ?? stale,
      maxRefreshCallMs,
    )
    if (host.epoch() !== startedIn) return superseded()
    let answer
    try {
      answer = reader.readRefresh(pair, sent.refreshToken, get().user, sentAt)
    } catch (error) {
      await keepRotated(pair, sent.refreshToken)
      throw unusable((error as Error).message, error)
    }
    const why = unusableAnswer(answer, [stale, rejectedToken], serverOffsetMs, now())
    if (why) {
      await keepRotated(pair, sent.refreshToken)
      throw unusable(why)
    }
    host.adopt(answer.record, 'refresh', 'network', pair.idToken ?? null)
    await saveRecord(tabStore, key, answer.record)
    return answer.record.accessToken
  }

  const unusable = (why: string, cause?: unknown) =>
    new InvalidRefreshResponseError(
      `The refresh answered with an access token that cannot be used: ${why}`,
      { cause },
    )

  const run = async (reason: RefreshReason): Promise<string> => {
    const startedIn = host.epoch()
    const stale = get().accessToken
    const sent = { refreshToken: null as string | null }
    if (breaker.isOpen()) {
      const error = breaker.tripped()
      set({ error })
      throw breaker.report(error)
    }
    set({ status: 'refreshing' })
    emit({ type: 'refresh-started', reason })
    try {
      return await config.coordinator.runExclusive(
        key,
        async () => {
          // The note tells tabs waiting for the lock that its holder is busy, not frozen, from
          // the moment it has the lock until what its call rotated is committed: a waiter that
          // moved on any earlier would send the refresh token this call has just spent.
          await noteStore?.set(busyKey, String(now() + lockTimeoutMs))
          try {
            return await refreshHoldingLock(reason, startedIn, stale, sent)
          } catch (error) {
            await hold.note(error)
            throw error
          } finally {
            await noteStore?.remove(busyKey)
          }
        },
        { timeoutMs: lockTimeoutMs, busyForMs },
      )
    } catch (caught) {
      if (host.epoch() !== startedIn) throw caught
      return failed(caught, sent.refreshToken)
    }
  }

  const failed = (caught: unknown, sentRefreshToken: string | null): string => {
    const error = classifyRefreshFailure(caught)
    if (resuming) return notResumed(error)
    if (error.code === 'REFRESH_REJECTED') {
      // Another tab may have rotated the token under us; its result is as good as ours.
      const stored = readRecord(storage, key)
      if (stored && stored.refreshToken !== sentRefreshToken && isFresh(stored)) {
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

  /** Joins the refresh in flight or starts one; refused at once within a Retry-After hold. */
  const start = (reason: RefreshReason, force: boolean): Promise<string> | null => {
    const running = flight.current()
    if (running) return running
    if (hold.isHeld()) return Promise.reject(hold.heldError())
    if (retry.pending() && !force) return null
    retry.cancel()
    return flight.run(() => run(reason))
  }

  return {
    /** Refreshes now, or joins the refresh in flight; a pending backoff retry is brought forward. */
    refreshNow: (reason: RefreshReason) => start(reason, true) as Promise<string>,
    /** As `refreshNow`, but leaves a pending backoff retry to its time: then null. */
    refreshUnlessRetryPending: (reason: RefreshReason) => start(reason, false),
    /** False while the breaker is open or a Retry-After holds: a trigger would only be refused. */
    mayRefresh: () => !breaker.isOpen() && !hold.isHeld(),
    /** The automatic retries gave up: ticks stop trying until a request or a wake-up does. */
    gaveUp: () => failures >= MAX_ATTEMPTS,
    /** A Retry-After holds refreshing until `deadline` or later. */
    heldPast: (deadline: number) => hold.outlasts(deadline),
    heldError: hold.heldError,
    /** The breaker is open: refreshing is paused. */
    paused: () => breaker.isOpen(),
    /** A 401 answered to `token`: a refresh that hands it back is unusable. */
    refuse(token: string) {
      rejectedToken = token
    },

    /** Cookie mode, nothing stored: asks the server with one silent refresh whether a session lives on. */
    resumeFromCookie() {
      if (!mayResume || get().status !== 'anonymous' || flight.current()) return
      if (breaker.isOpen() || hold.isHeld()) return
      resuming = true
      set({ status: 'refreshing', error: null })
      flight.run(() => run('start')).catch(() => undefined)
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
      rejectedToken = null
      if (source !== 'other-tab' && typeof claims?.iat === 'number') {
        serverOffsetMs = claims.iat * 1000 - now()
      }
      if (signIn) breaker.reset()
    },
  }
}

export type Refresher = ReturnType<typeof createRefresher>
