import { createStore } from 'zustand/vanilla'
import { backoffDelay } from './backoffDelay'
import { classifyRefreshFailure } from './classifyRefreshFailure'
import { createBreaker } from './createBreaker'
import { createLocalCoordinator } from './createLocalCoordinator'
import { createRefreshAdapter } from './createRefreshAdapter'
import { createRevokeAdapter } from './createRevokeAdapter'
import { createSlidingRefreshAdapter } from './createSlidingRefreshAdapter'
import { createSingleFlight } from './createSingleFlight'
import { decodeAccessToken, type DecodedAccessToken } from './decodeAccessToken'
import {
  AuthKitError,
  AuthTimeoutError,
  InvalidRefreshResponseError,
  NotAuthenticatedError,
  RefreshFailedError,
  RefreshLoopError,
  SessionEndedError,
} from './errors'
import { focusManager } from './focusManager'
import { onlineManager } from './onlineManager'
import { loadRecord, newestRecord, readRecord, saveRecord, writeRecord } from './sessionRecord'
import { createDefaultStorage } from './storage'
import { checkUserSource, readUser, storesUser } from './readUser'
import { createTabSync } from './tabSync'
import { timeoutManager, type TimerHandle } from './timeoutManager'
import type {
  AccessTokenClaims,
  AuthEventInput,
  AuthEventListener,
  AuthSession,
  AuthSessionOptions,
  AuthState,
  EndReason,
  RefreshReason,
  SessionMessage,
  SessionRecord,
  TokenPair,
} from './types'

// Automatic retries stop after this many failures in a row (about two minutes of backoff), so a
// broken endpoint is not polled forever; a request or a wake-up still tries again.
const MAX_ATTEMPTS = 8

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`

const initialState: AuthState = {
  status: 'anonymous',
  accessToken: null,
  refreshToken: null,
  expiresAt: null,
  user: null,
  refreshCount: 0,
  lastRefreshAt: null,
  error: null,
  endReason: null,
}

/** Creates the session engine: state in a zustand store, single-flight refresh, a scheduler. */
export function createAuthSession(options: AuthSessionOptions = {}): AuthSession {
  const now = options.now ?? Date.now
  const userSource = checkUserSource(options.user)
  const keepsUser = storesUser(userSource)
  const key = options.storageKey ?? 'token-refresh-kit'
  const storage = options.storage ?? createDefaultStorage()
  const marginMs = (options.refreshMarginSeconds ?? 60) * 1000
  const tickMs = (options.tickSeconds ?? 30) * 1000
  const refreshTimeoutMs = options.refreshTimeoutMs ?? 10_000
  // A call past `refreshTimeoutMs` is kept: with rotating refresh tokens its late answer is the
  // only valid one, and sending the same refresh token again would trip reuse detection.
  const maxRefreshCallMs = Math.max(refreshTimeoutMs, options.maxRefreshCallMs ?? 60_000)
  // Longer than a refresh may take: a live tab's refresh is aborted and its lock released before
  // any waiter gives up on it, so waiters never overtake it and spend its refresh token again.
  const lockTimeoutMs = options.lockTimeoutMs ?? refreshTimeoutMs + 5_000
  const credential = options.refreshCredential ?? 'stored'
  // With a cookie or a sliding session the refresh token is never in JS: not stored, not in state.
  const keepsRefreshToken = credential === 'stored'
  const withCredentials = credential === 'cookie'
  const refreshFn =
    options.refresh ??
    (credential === 'access-token'
      ? createSlidingRefreshAdapter({ baseURL: options.baseURL, timeoutMs: maxRefreshCallMs })
      : createRefreshAdapter({
          baseURL: options.baseURL,
          timeoutMs: maxRefreshCallMs,
          // The cookie is the credential: no body.
          ...(withCredentials && { withCredentials, body: () => undefined }),
        }))
  const revoke =
    options.revoke ?? createRevokeAdapter({ baseURL: options.baseURL, withCredentials })
  const injected = options.coordinator !== undefined && options.channel !== undefined
  const tabSync = injected ? null : createTabSync(key)
  // Per session: a refresh stuck in one session (a test that ended mid-refresh) must not hold
  // up others in the same realm; tabs share through Web Locks, tests through an injected one.
  const coordinator = options.coordinator ?? tabSync?.coordinator ?? createLocalCoordinator()
  const channel = options.channel === undefined ? (tabSync?.channel ?? null) : options.channel
  // Tab store: what the refresh lock reads and writes. Tokens go there only from storage that
  // already shares them across tabs (localStorage); memory and sessionStorage keep them off disk.
  const tabStore =
    options.tabStore !== undefined
      ? options.tabStore
      : storage.sharedAcrossTabs
        ? (tabSync?.store ?? null)
        : null
  // Where a tab notes until when its refresh call may still be answered (no secret: a time), so
  // that the others wait for it instead of taking it for frozen. Memory storage uses it too.
  const callStore = options.tabStore !== undefined ? options.tabStore : (tabSync?.store ?? null)
  const callKey = `${key}:refresh-call-until`
  // A Retry-After one tab was given holds the others too: they read it inside the lock.
  const holdKey = `${key}:refresh-held-until`
  const breaker = createBreaker<RefreshReason>(now)
  const flight = createSingleFlight<string>()
  const listeners = new Set<AuthEventListener>()
  const store = createStore<AuthState>()(() => initialState)
  const get = store.getState
  const set = (partial: Partial<AuthState>) => store.setState(partial)

  let lifetimeMs = 0
  let opaque = false
  // Bumped by every sign-in and sign-out, so that a refresh that straddles one is discarded.
  let epoch = 0
  let retryTimer: TimerHandle = null
  let retryAttempt = 0
  let tickTimer: TimerHandle = null
  let started = false
  let expiredToken: string | null = null
  let stopWaking: (() => void) | null = null
  let destroyed = false
  // A 429 or 503 with Retry-After: until then every trigger is refused without calling the server.
  let heldUntil = 0
  // Access tokens the server answered 401 to: a refresh that hands one back is unusable.
  let rejectedToken: string | null = null
  // The server's clock minus ours, seen from the last token's `iat`: tells an expired token apart.
  let serverOffsetMs: number | null = null
  // Cookie mode: a session may live in the cookie until a silent refresh has asked (or a
  // transient failure left the question open); `resuming` while that refresh runs.
  let mayResume = withCredentials
  let resuming = false
  const tabId = Math.random().toString(36).slice(2)

  const emit = (event: AuthEventInput) => {
    const full = { ...event, at: now() } as Parameters<AuthEventListener>[0]
    listeners.forEach((listener) => {
      try {
        listener(full)
      } catch {
        // one broken listener must not stop the others or the engine
      }
    })
  }

  const marginFor = (lifetime: number) =>
    lifetime > 0 ? Math.min(marginMs, lifetime / 3) : marginMs

  const peek = (): string | null => {
    const { status, accessToken, expiresAt } = get()
    const live = status === 'authenticated' || status === 'refreshing'
    return live && accessToken && expiresAt !== null && expiresAt > now() ? accessToken : null
  }

  /** A record, carrying the user where the access token cannot give it again. */
  const withUser = (record: SessionRecord, user: AccessTokenClaims | null): SessionRecord => {
    const { user: _dropped, ...tokens } = record
    return keepsUser && user ? { ...tokens, user } : tokens
  }

  /**
   * How long a token had lived when this tab read it: `iat` says when the server issued it, on
   * the server's clock; the answer read soonest after its issue tells how that clock relates to
   * ours. A tab that reads an answer seconds after it came (a throttled tab, a slow phone) would
   * otherwise count the token's life from then and send it after the server has let it expire.
   * Never before the call was sent nor after now, so a clock that jumps costs at most that span.
   */
  let soonestOffsetMs: number | null = null
  const agedInFlight = (claims: AccessTokenClaims, sentAt: number, seenAt: number) => {
    const { iat } = claims
    if (typeof iat !== 'number' || !Number.isFinite(iat)) return 0
    const offset = iat * 1000 - seenAt
    soonestOffsetMs = soonestOffsetMs === null ? offset : Math.max(soonestOffsetMs, offset)
    const issuedAt = Math.min(seenAt, Math.max(sentAt, iat * 1000 - soonestOffsetMs))
    return seenAt - issuedAt
  }

  const toRecord = (
    pair: TokenPair,
    current: string | null,
    signIn: boolean,
    sentAt: number | null = null,
  ) => {
    const seenAt = now()
    const read = decodeAccessToken(pair?.accessToken, pair?.expiresIn, seenAt)
    const decoded = {
      ...read,
      expiresAt: read.expiresAt - agedInFlight(read.claims, sentAt ?? seenAt, seenAt),
    }
    const user = readUser(
      userSource,
      { claims: decoded.claims, opaque: decoded.opaque, idToken: pair.idToken },
      signIn ? null : get().user,
      signIn,
    )
    const record = withUser(
      {
        accessToken: pair.accessToken,
        refreshToken: !keepsRefreshToken
          ? null
          : pair.refreshToken === undefined
            ? current
            : pair.refreshToken,
        expiresAt: decoded.expiresAt,
        lifetimeMs: decoded.lifetimeMs,
        ...(decoded.opaque && { opaque: true }),
      },
      user,
    )
    return { record, claims: decoded.claims }
  }

  /** The record's token decoded; null if unreadable, or opaque where the record does not say so. */
  const decodeRecord = (record: SessionRecord): DecodedAccessToken | null => {
    try {
      const decoded = decodeAccessToken(record.accessToken, record.lifetimeMs / 1000, now())
      return decoded.opaque && !record.opaque ? null : decoded
    } catch {
      return null
    }
  }

  /** The user of a record: its access token's claims, or the user stored with it. */
  const userOf = (
    record: SessionRecord,
    decoded: DecodedAccessToken | null,
    previous: AccessTokenClaims | null,
  ): AccessTokenClaims | null => {
    if (!keepsUser) return decoded && !decoded.opaque ? decoded.claims : null
    return record.user ?? previous
  }

  // A user loader runs once per sign-in at a time; its answer is stored and sent to the other tabs.
  let loadingUserIn = -1
  const loadUser = (accessToken: string, idToken: string | null) => {
    if (typeof userSource !== 'function' || loadingUserIn === epoch) return
    const startedIn = (loadingUserIn = epoch)
    Promise.resolve()
      .then(() => userSource({ accessToken, idToken }))
      .then(
        (user) => {
          if (epoch !== startedIn) return
          loadingUserIn = -1
          const current = own()
          if (!user || typeof user !== 'object' || !current) return
          set({ user })
          const record = withUser(current, user)
          writeRecord(storage, key, record)
          void saveRecord(tabStore, key, record)
          channel?.post({ type: 'tokens', record, signIn: false })
        },
        () => {
          if (epoch === startedIn) loadingUserIn = -1
        },
      )
  }

  const cancelRetry = () => {
    timeoutManager.clearTimeout(retryTimer)
    retryTimer = null
  }

  const scheduleTick = () => {
    timeoutManager.clearTimeout(tickTimer)
    tickTimer = null
    if (!started) return
    const interval = Math.max(250, Math.min(tickMs, marginFor(lifetimeMs) / 2))
    tickTimer = timeoutManager.setTimeout(() => {
      check('scheduled')
      scheduleTick()
    }, interval)
  }

  /** Adopts a record: after a sign-in (here or elsewhere), a refresh, or another tab's refresh. */
  const adopt = (
    given: SessionRecord,
    kind: 'sign-in' | 'refresh',
    source: 'local' | 'network' | 'other-tab',
    idToken: string | null = null,
  ) => {
    const record = keepsRefreshToken ? given : { ...given, refreshToken: null }
    lifetimeMs = record.lifetimeMs
    opaque = record.opaque === true
    const signIn = kind === 'sign-in'
    const decoded = decodeRecord(record)
    const claims = decoded?.claims
    const user = userOf(record, decoded, signIn ? null : get().user)
    resuming = false
    mayResume = false
    // A fresh token, from anywhere, ends any backoff and any Retry-After hold.
    cancelRetry()
    retryAttempt = 0
    heldUntil = 0
    rejectedToken = null
    if (source !== 'other-tab' && typeof claims?.iat === 'number') {
      serverOffsetMs = claims.iat * 1000 - now()
    }
    if (signIn) {
      epoch++
      breaker.reset()
      if (source === 'local') void callStore?.remove(holdKey)
    }
    // Another tab's record is written only over an older one: a late message must never put
    // back a refresh token that has since been rotated.
    const stored = source === 'other-tab' ? readRecord(storage, key) : null
    if (!stored || stored.expiresAt < record.expiresAt) writeRecord(storage, key, record)
    const state = get()
    set({
      status: 'authenticated',
      accessToken: record.accessToken,
      refreshToken: record.refreshToken,
      expiresAt: record.expiresAt,
      user,
      error: null,
      endReason: null,
      refreshCount: signIn ? 0 : state.refreshCount + 1,
      lastRefreshAt: signIn ? state.lastRefreshAt : now(),
    })
    if (signIn) {
      emit({ type: 'signed-in', user, source: source === 'local' ? 'local' : 'other-tab' })
    } else {
      emit({
        type: 'refreshed',
        expiresAt: record.expiresAt,
        source: source === 'network' ? 'network' : 'other-tab',
      })
    }
    if (source !== 'other-tab') channel?.post({ type: 'tokens', record, signIn })
    if (!user && source !== 'other-tab') loadUser(record.accessToken, idToken)
    scheduleTick()
  }
  const end = (reason: EndReason, error: AuthKitError | null, tell: boolean) => {
    epoch++
    cancelRetry()
    lifetimeMs = 0
    opaque = false
    storage.removeItem(key)
    void saveRecord(tabStore, key, null)
    set({
      status: 'ended',
      accessToken: null,
      refreshToken: null,
      expiresAt: null,
      user: null,
      error,
      endReason: reason,
    })
    emit({ type: 'ended', reason, error })
    if (tell) channel?.post({ type: reason === 'logout' ? 'logout' : 'ended' })
    scheduleTick()
  }

  /** The refresh call itself, aborted only after `maxRefreshCallMs`: a slow answer is still adopted. */
  const callRefresh = (refreshToken: string | null, accessToken: string | null) =>
    new Promise<TokenPair>((resolve, reject) => {
      const controller = new AbortController()
      const timer = timeoutManager.setTimeout(() => {
        controller.abort()
        reject(
          new RefreshFailedError(
            `Refresh had no answer after ${seconds(maxRefreshCallMs)} and was aborted.`,
          ),
        )
      }, maxRefreshCallMs)
      Promise.resolve()
        .then(() => refreshFn(refreshToken, { signal: controller.signal, accessToken }))
        .then(resolve, reject)
        .finally(() => timeoutManager.clearTimeout(timer))
    })

  /** What a caller of `refresh()` waits: at most `refreshTimeoutMs`, while the call goes on. */
  const waitAtMost = (flight: Promise<string>) =>
    new Promise<string>((resolve, reject) => {
      const timer = timeoutManager.setTimeout(
        () =>
          reject(
            new RefreshFailedError(
              `Refresh has had no answer for ${seconds(refreshTimeoutMs)}. The session is kept: the call goes on and its answer is used when it comes (it is aborted after ${seconds(maxRefreshCallMs)}).`,
            ),
          ),
        refreshTimeoutMs,
      )
      flight.then(resolve, reject).finally(() => timeoutManager.clearTimeout(timer))
    })

  const heldError = () => {
    const waitMs = Math.max(0, heldUntil - now())
    return new RefreshFailedError(
      `Refreshing is held until ${new Date(heldUntil).toISOString()} because the server answered with Retry-After; the next attempt is allowed in ${seconds(waitMs)}. The session is kept.`,
      { retryAfterMs: waitMs },
    )
  }
  const isHeld = () => now() < heldUntil

  // Ten a minute, or twice what the token's lifetime calls for (a tester's 5 s tokens need 15).
  const loopLimit = () => Math.max(10, Math.ceil(120_000 / Math.max(lifetimeMs, 5_000)))

  /** Names what drove the refreshes: 401s to fresh tokens, `refresh()` calls, or short-lived tokens. */
  const loopError = () => {
    const limit = loopLimit()
    const [top] = breaker.reasons()
    const count = breaker.count()
    const cause =
      top?.reason === 'unauthorized' && top.count * 2 > count
        ? `${top.count} of them followed a 401 to a token the server had just issued: check how the server validates tokens (its clock, signing key, audience).`
        : top?.reason === 'manual' && top.count * 2 > count
          ? `${top.count} of them were refresh() calls: call it less often.`
          : lifetimeMs > 0 && lifetimeMs < 30_000
            ? `The tokens live only ${seconds(lifetimeMs)}: have the server issue tokens that live longer.`
            : 'Check that the server issues tokens that live longer than a few seconds and accepts the ones it issued.'
    return new RefreshLoopError(
      `Too many refreshes (${count} in a minute, for tokens that live ${seconds(lifetimeMs)}): refreshing is paused for ${seconds(breaker.reopensInMs(limit))}. ${cause}`,
    )
  }

  // The breaker keeps the session: the failure is transient and says when refreshing resumes.
  const reportLoop = (error: AuthKitError) => {
    emit({
      type: 'refresh-failed',
      error,
      transient: true,
      retryInMs: breaker.reopensInMs(loopLimit()),
    })
    return error
  }

  const isFresh = (record: SessionRecord) => record.expiresAt - now() > marginFor(record.lifetimeMs)

  /**
   * The refresh answer as a record, or why its access token cannot be used: unreadable, the one it
   * was meant to replace or one the server refused, or already expired by the server's clock.
   */
  const readAnswer = (
    pair: TokenPair,
    sent: string | null,
    replaced: string | null,
    sentAt: number,
  ): ReturnType<typeof toRecord> | { why: string; cause?: unknown } => {
    let next: ReturnType<typeof toRecord>
    try {
      next = toRecord(pair, sent, false, sentAt)
    } catch (error) {
      return { why: (error as Error).message, cause: error }
    }
    const token = next.record.accessToken
    if (token === replaced || token === rejectedToken) {
      return {
        why: 'it is the very token it was meant to replace. Make the refresh endpoint issue a new access token on every call.',
      }
    }
    const { exp } = next.claims
    const serverExpiry =
      serverOffsetMs === null || typeof exp !== 'number' ? null : exp * 1000 - serverOffsetMs
    if (serverExpiry !== null && serverExpiry <= now()) {
      return {
        why: `it expired ${seconds(now() - serverExpiry)} ago by the server's clock (read from its earlier tokens' \`iat\`). Check that the refresh endpoint issues fresh tokens.`,
      }
    }
    return next
  }

  /** Keeps a refresh token rotated in an unusable answer, so that the retry does not present the spent one. */
  const keepRotated = async (pair: TokenPair, sent: string | null) => {
    const rotated = pair?.refreshToken
    if (!keepsRefreshToken || typeof rotated !== 'string' || !rotated || rotated === sent) return
    set({ refreshToken: rotated })
    const current = own()
    if (!current) return
    writeRecord(storage, key, current)
    await saveRecord(tabStore, key, current)
  }

  const runRefresh = async (reason: RefreshReason): Promise<string> => {
    const startedIn = epoch
    const stale = get().accessToken
    let sentRefreshToken: string | null = null
    if (breaker.isOpen(loopLimit())) {
      const error = loopError()
      set({ error })
      throw reportLoop(error)
    }
    set({ status: 'refreshing' })
    emit({ type: 'refresh-started', reason })
    try {
      return await coordinator.runExclusive(
        key,
        async () => {
          // The note tells tabs waiting for the lock that its holder is busy, not frozen, from
          // the moment it has the lock until what its call rotated is committed: a waiter that
          // moved on any earlier would read the old record and send the refresh token that
          // call has just spent. Until the call, for as long as a lock wait; then for as long as
          // the call may take.
          await callStore?.set(callKey, String(now() + lockTimeoutMs))
          try {
            // Tab store: the last holder committed its record there before releasing the lock;
            // storage and this tab's state may still lag behind it, or lead it (no IndexedDB there).
            const committed = await loadRecord(tabStore, key)
            if (epoch !== startedIn) return superseded()
            // Inside the lock, storage first: another tab may have refreshed while this one
            // waited, and sending the refresh token it rotated would trip the server's reuse
            // detection. The committed record wins a tie: it was written inside the lock (a
            // refresh token kept from an unusable answer keeps its record's expiry).
            const stored = newestRecord(committed, readRecord(storage, key), own())
            if (stored && stored.accessToken !== stale && isFresh(stored)) {
              if (stored.accessToken !== get().accessToken) {
                adopt(stored, 'refresh', 'other-tab')
              }
              return stored.accessToken
            }
            const sharedHold = Number((await callStore?.get(holdKey)) ?? 0)
            if (sharedHold > now()) {
              heldUntil = sharedHold
              throw heldError()
            }
            if (!breaker.tryAcquire(loopLimit(), reason)) throw loopError()
            sentRefreshToken = stored?.refreshToken ?? get().refreshToken
            await callStore?.set(callKey, String(now() + maxRefreshCallMs))
            const sentAt = now()
            const pair = await callRefresh(sentRefreshToken, stored?.accessToken ?? stale)
            if (epoch !== startedIn) return superseded()
            const next = readAnswer(pair, sentRefreshToken, stale, sentAt)
            if ('why' in next) {
              await keepRotated(pair, sentRefreshToken)
              throw new InvalidRefreshResponseError(
                `The refresh answered with an access token that cannot be used: ${next.why}`,
                { cause: next.cause },
              )
            }
            adopt(next.record, 'refresh', 'network', pair.idToken ?? null)
            await saveRecord(tabStore, key, next.record)
            return next.record.accessToken
          } catch (error) {
            // A Retry-After binds every tab: noted before the lock is released, or the next
            // holder would read no hold and call inside the window.
            await noteHold(error)
            throw error
          } finally {
            await callStore?.remove(callKey)
          }
        },
        { timeoutMs: lockTimeoutMs, busyForMs },
      )
    } catch (caught) {
      if (epoch !== startedIn) throw caught
      return failed(caught, sentRefreshToken)
    }
  }

  /** Holds refreshing in every tab until a Retry-After the server sent with `error` has passed. */
  const noteHold = async (error: unknown) => {
    const classified = classifyRefreshFailure(error)
    const retryAfter = classified instanceof RefreshFailedError ? (classified.retryAfterMs ?? 0) : 0
    if (retryAfter <= 0 || now() + retryAfter <= heldUntil) return
    heldUntil = now() + retryAfter
    await callStore?.set(holdKey, String(heldUntil))
  }

  /** How long another tab's refresh call, still unanswered, may yet be answered. */
  const busyForMs = async () => {
    const until = Number((await callStore?.get(callKey)) ?? 0)
    return Number.isFinite(until) ? Math.min(maxRefreshCallMs, until - now()) : 0
  }

  const own = (): SessionRecord | null => {
    const { status, accessToken, refreshToken, expiresAt, user } = get()
    const live = status === 'authenticated' || status === 'refreshing'
    return live && accessToken && expiresAt !== null
      ? withUser(
          { accessToken, refreshToken, expiresAt, lifetimeMs, ...(opaque && { opaque: true }) },
          user,
        )
      : null
  }

  const superseded = (): string => {
    const token = peek()
    if (token) return token
    throw sessionEnded()
  }

  const failed = (caught: unknown, sentRefreshToken: string | null): string => {
    let error = classifyRefreshFailure(caught)
    if (resuming) return notResumed(error)
    if (error.code === 'REFRESH_REJECTED') {
      // Another tab may have rotated the token under us; its result is as good as ours.
      const stored = readRecord(storage, key)
      if (stored && stored.refreshToken !== sentRefreshToken && isFresh(stored)) {
        adopt(stored, 'refresh', 'other-tab')
        return stored.accessToken
      }
      emit({ type: 'refresh-failed', error, transient: false, retryInMs: null })
      end('refresh-rejected', error, true)
      throw error
    }
    if (error.code === 'REFRESH_LOOP') {
      set({ status: 'authenticated', error })
      throw reportLoop(error)
    }
    retryAttempt++
    // The hold itself was noted inside the lock (`noteHold`), for every tab.
    const retryAfter = (error as RefreshFailedError).retryAfterMs ?? 0
    const delay = Math.max(backoffDelay(retryAttempt), retryAfter)
    const givingUp = retryAttempt >= MAX_ATTEMPTS
    const note = givingUp
      ? ` The session is kept; after ${MAX_ATTEMPTS} attempts the next request or wake-up retries.`
      : ` The session is kept; retrying in ${seconds(delay)}.`
    error =
      error.code === 'INVALID_REFRESH_RESPONSE'
        ? new InvalidRefreshResponseError(error.message + note, { cause: error.cause })
        : error.code === 'REFRESH_FAILED'
          ? new RefreshFailedError(error.message + note, {
              cause: error.cause,
              status: (error as RefreshFailedError).status,
              retryAfterMs: retryAfter || undefined,
            })
          : new RefreshFailedError(error.message + note, { cause: error })
    set({ status: 'authenticated', error })
    emit({ type: 'refresh-failed', error, transient: true, retryInMs: givingUp ? null : delay })
    cancelRetry()
    if (givingUp) throw error
    retryTimer = timeoutManager.setTimeout(() => {
      retryTimer = null
      if (get().status === 'authenticated') kick('scheduled', false)?.catch(() => undefined)
    }, delay)
    throw error
  }

  /**
   * Starts a refresh unless one runs; joins a pending backoff unless `force`. Within a Retry-After
   * window it refuses at once, whatever the trigger.
   */
  const kick = (reason: RefreshReason, force: boolean): Promise<string> | null => {
    const running = flight.current()
    if (running) return running
    if (isHeld()) return Promise.reject(heldError())
    if (retryTimer !== null && !force) return null
    cancelRetry()
    return flight.run(() => runRefresh(reason))
  }

  const check = (reason: RefreshReason) => {
    const { status, expiresAt, accessToken } = get()
    if (status !== 'authenticated' || expiresAt === null) return
    const remaining = expiresAt - now()
    if (remaining <= 0 && expiredToken !== accessToken) {
      expiredToken = accessToken
      emit({ type: 'expired', forced: false })
    }
    const quiet = reason === 'scheduled' && retryAttempt >= MAX_ATTEMPTS
    const due = remaining <= marginFor(lifetimeMs)
    if (due && !breaker.isOpen(loopLimit()) && !quiet && !isHeld()) {
      kick(reason, reason !== 'scheduled')?.catch(() => undefined)
    }
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

  /** Cookie mode, nothing stored: asks the server with one silent refresh whether a session lives on. */
  const resume = () => {
    if (!mayResume || !started || get().status !== 'anonymous' || flight.current()) return
    if (isHeld() || breaker.isOpen(loopLimit())) return
    resuming = true
    set({ status: 'refreshing', error: null })
    flight.run(() => runRefresh('start')).catch(() => undefined)
  }

  const sessionEnded = () => {
    const { endReason, error } = get()
    return new SessionEndedError(
      `The session has ended (${endReason ?? 'signed out'}); sign in again to continue.`,
      { cause: error },
    )
  }

  const waitForToken = (timeoutMs: number, rejected: string | undefined, reason: RefreshReason) =>
    new Promise<string>((resolve, reject) => {
      // A Retry-After that ends within this wait is waited out (the retry after it brings the
      // token); one that outlasts it fails the wait at once, saying when to try again.
      const deadline = now() + timeoutMs
      const heldPastDeadline = () => isHeld() && heldUntil >= deadline
      let unsubscribe = () => {}
      const timer = timeoutManager.setTimeout(() => {
        const last = get().error
        finish(
          new AuthTimeoutError(
            `No fresh access token within ${seconds(timeoutMs)}${last ? `: ${last.message}` : '.'}`,
            { cause: last },
          ),
        )
      }, timeoutMs)
      const finish = (error: Error | null, token?: string) => {
        timeoutManager.clearTimeout(timer)
        unsubscribe()
        if (error) reject(error)
        else resolve(token as string)
      }
      const settle = (state: AuthState) => {
        if (state.status === 'ended' || state.status === 'anonymous') return finish(sessionEnded())
        const token = peek()
        if (token && token !== rejected) return finish(null, token)
        if (heldPastDeadline()) return finish(heldError())
        if (state.error?.code === 'REFRESH_LOOP' && breaker.isOpen(loopLimit())) finish(state.error)
      }
      unsubscribe = store.subscribe(settle)
      // An answer that cannot be used fails the wait at once: waiting on would only meet it again.
      kick(reason, false)?.catch((error: { code?: string }) => {
        if (heldPastDeadline()) finish(heldError())
        else if (error?.code === 'INVALID_REFRESH_RESPONSE') finish(error as Error)
      })
      settle(get())
    })

  const onMessage = (message: SessionMessage) => {
    if (message.type === 'tokens' || message.type === 'handoff') {
      if (
        message.type === 'handoff' &&
        (message.to !== tabId || get().status === 'authenticated')
      ) {
        return
      }
      const { record } = message
      const { status, accessToken, expiresAt } = get()
      const live = status === 'authenticated' || status === 'refreshing'
      const signIn = message.type === 'handoff' || message.signIn || !live
      if (record.accessToken === accessToken) {
        // The user another tab loaded for the token this one holds.
        if (keepsUser && record.user && !get().user) set({ user: record.user })
        return
      }
      if (!signIn && expiresAt !== null && expiresAt >= record.expiresAt) return
      if (!decodeRecord(record)) return
      adopt(record, signIn ? 'sign-in' : 'refresh', 'other-tab')
    } else if (message.type === 'hello') {
      const record = own()
      if (get().status === 'authenticated' && record) {
        channel?.post({ type: 'handoff', to: message.from, record })
      }
    } else if (get().status === 'authenticated' || get().status === 'refreshing') {
      end(message.type === 'logout' ? 'logout-elsewhere' : 'ended-elsewhere', null, false)
    }
  }
  // A reload: the stored record keeps the expiry measured when the token first arrived.
  const restored = readRecord(storage, key)
  const restoredToken = restored && decodeRecord(restored)
  if (restored && restoredToken) {
    lifetimeMs = restored.lifetimeMs
    opaque = restored.opaque === true
    const user = userOf(restored, restoredToken, null)
    set({
      status: 'authenticated',
      accessToken: restored.accessToken,
      refreshToken: keepsRefreshToken ? restored.refreshToken : null,
      expiresAt: restored.expiresAt,
      user,
    })
    if (!user) loadUser(restored.accessToken, null)
  } else if (restored) {
    storage.removeItem(key)
  }
  const unsubscribeChannel = channel?.subscribe(onMessage)
  if (!restored) channel?.post({ type: 'hello', from: tabId })

  const stop = () => {
    started = false
    stopWaking?.()
    stopWaking = null
    scheduleTick()
    cancelRetry()
  }

  return {
    store,
    getState: get,
    subscribe: store.subscribe,
    onEvent(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    emit,
    setTokens(pair) {
      const { record } = toRecord(pair, null, true)
      adopt(record, 'sign-in', 'local', pair.idToken ?? null)
      void saveRecord(tabStore, key, record)
    },
    peekAccessToken: peek,
    async getAccessToken(options = {}) {
      const { status, expiresAt } = get()
      if (status === 'anonymous') {
        throw new NotAuthenticatedError(
          'No one is signed in: call setTokens(pair) after login before making authenticated calls.',
        )
      }
      if (status === 'ended') throw sessionEnded()
      if (options.rejectedToken && options.rejectedToken === get().accessToken) {
        rejectedToken = options.rejectedToken
      }
      const token = peek()
      if (token && token !== options.rejectedToken) {
        if (expiresAt !== null && expiresAt - now() <= marginFor(lifetimeMs)) check('scheduled')
        return token
      }
      return waitForToken(
        options.timeoutMs ?? 30_000,
        options.rejectedToken,
        options.rejectedToken ? 'unauthorized' : 'expired',
      )
    },
    async refresh(reason = 'manual') {
      const { status } = get()
      if (status === 'anonymous') {
        throw new NotAuthenticatedError('Nothing to refresh: no one is signed in.')
      }
      if (status === 'ended') throw sessionEnded()
      return waitAtMost(kick(reason, true) as Promise<string>)
    },
    async logout() {
      const { status, accessToken, refreshToken } = get()
      if (status === 'anonymous') return
      end('logout', null, true)
      if (accessToken) await revoke({ accessToken, refreshToken })
    },
    start() {
      if (destroyed) {
        throw new Error(
          '[token-refresh-kit] start() after destroy(): create a new session with createAuthSession().',
        )
      }
      if (started) return
      started = true
      const wake = (reason: RefreshReason) => {
        resume()
        check(reason)
      }
      const unsubscribeFocus = focusManager.subscribe(wake)
      const unsubscribeOnline = onlineManager.subscribe(wake)
      stopWaking = () => {
        unsubscribeFocus()
        unsubscribeOnline()
      }
      scheduleTick()
      resume()
      check('start')
    },
    stop,
    destroy() {
      if (destroyed) return
      destroyed = true
      stop()
      unsubscribeChannel?.()
      // A channel the caller passed is theirs to close.
      if (options.channel === undefined) channel?.close?.()
      listeners.clear()
    },
    forceExpire() {
      const current = own()
      if (!current) return
      const { accessToken } = current
      const expiresAt = now()
      writeRecord(storage, key, { ...current, expiresAt })
      void saveRecord(tabStore, key, { ...current, expiresAt })
      set({ expiresAt })
      expiredToken = accessToken
      emit({ type: 'expired', forced: true })
    },
    invalidateAccessToken() {
      const current = own()
      if (!current) return
      // A JWT's signature, or an opaque token's last character: the server refuses either.
      const parts = current.accessToken.split('.')
      const last = parts.length === 3 ? 2 : parts.length - 1
      const tail = parts[last] ?? ''
      parts[last] =
        parts.length === 3
          ? (tail.startsWith('A') ? 'B' : 'A') + tail.slice(1)
          : tail.slice(0, -1) + (tail.endsWith('A') ? 'B' : 'A')
      const tampered = { ...current, accessToken: parts.join('.') }
      writeRecord(storage, key, tampered)
      void saveRecord(tabStore, key, tampered)
      set({ accessToken: tampered.accessToken })
      emit({ type: 'invalidated' })
    },
  }
}
