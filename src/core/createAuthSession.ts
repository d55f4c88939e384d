import { createStore } from 'zustand/vanilla'
import { backoffDelay } from './backoffDelay'
import { createBreaker } from './createBreaker'
import { createLocalCoordinator } from './createLocalCoordinator'
import { createRefreshAdapter } from './createRefreshAdapter'
import { createRevokeAdapter } from './createRevokeAdapter'
import { createSingleFlight } from './createSingleFlight'
import { decodeAccessToken } from './decodeAccessToken'
import {
  AuthKitError,
  AuthTimeoutError,
  InvalidRefreshResponseError,
  NotAuthenticatedError,
  RefreshFailedError,
  RefreshLoopError,
  SessionEndedError,
  isAuthKitError,
} from './errors'
import { focusManager } from './focusManager'
import { onlineManager } from './onlineManager'
import { loadRecord, newestRecord, readRecord, saveRecord, writeRecord } from './sessionRecord'
import { createDefaultStorage } from './storage'
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
  const key = options.storageKey ?? 'token-refresh-kit'
  const storage = options.storage ?? createDefaultStorage()
  const marginMs = (options.refreshMarginSeconds ?? 60) * 1000
  const tickMs = (options.tickSeconds ?? 30) * 1000
  const refreshTimeoutMs = options.refreshTimeoutMs ?? 10_000
  // Longer than a refresh may take: a live tab's refresh is aborted and its lock released before
  // any waiter gives up on it, so waiters never overtake it and spend its refresh token again.
  const lockTimeoutMs = options.lockTimeoutMs ?? refreshTimeoutMs + 5_000
  const refreshFn = options.refresh ?? createRefreshAdapter({ baseURL: options.baseURL })
  const revoke = options.revoke ?? createRevokeAdapter({ baseURL: options.baseURL })
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
  const breaker = createBreaker(now)
  const flight = createSingleFlight<string>()
  const listeners = new Set<AuthEventListener>()
  const store = createStore<AuthState>()(() => initialState)
  const get = store.getState
  const set = (partial: Partial<AuthState>) => store.setState(partial)

  let lifetimeMs = 0
  // Bumped by every sign-in and sign-out, so that a refresh that straddles one is discarded.
  let epoch = 0
  let retryTimer: TimerHandle = null
  let retryAttempt = 0
  let tickTimer: TimerHandle = null
  let started = false
  let expiredToken: string | null = null
  let stopWaking: (() => void) | null = null
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

  const toRecord = (pair: TokenPair, current: string | null) => {
    const decoded = decodeAccessToken(pair?.accessToken, pair?.expiresIn, now())
    const record: SessionRecord = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken === undefined ? current : pair.refreshToken,
      expiresAt: decoded.expiresAt,
      lifetimeMs: decoded.lifetimeMs,
    }
    return { record, claims: decoded.claims }
  }

  const claimsOf = (record: SessionRecord): AccessTokenClaims | null => {
    try {
      return decodeAccessToken(record.accessToken, record.lifetimeMs / 1000, now()).claims
    } catch {
      return null
    }
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
    record: SessionRecord,
    claims: AccessTokenClaims | null,
    kind: 'sign-in' | 'refresh',
    source: 'local' | 'network' | 'other-tab',
  ) => {
    lifetimeMs = record.lifetimeMs
    const signIn = kind === 'sign-in'
    // A fresh token, from anywhere, ends any backoff.
    cancelRetry()
    retryAttempt = 0
    if (signIn) {
      epoch++
      breaker.reset()
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
      user: claims,
      error: null,
      endReason: null,
      refreshCount: signIn ? 0 : state.refreshCount + 1,
      lastRefreshAt: signIn ? state.lastRefreshAt : now(),
    })
    if (signIn) {
      emit({ type: 'signed-in', user: claims, source: source === 'local' ? 'local' : 'other-tab' })
    } else {
      emit({
        type: 'refreshed',
        expiresAt: record.expiresAt,
        source: source === 'network' ? 'network' : 'other-tab',
      })
    }
    if (source !== 'other-tab') channel?.post({ type: 'tokens', record, signIn })
    scheduleTick()
  }
  const end = (reason: EndReason, error: AuthKitError | null, tell: boolean) => {
    epoch++
    cancelRetry()
    lifetimeMs = 0
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

  const callRefresh = (refreshToken: string | null) =>
    new Promise<TokenPair>((resolve, reject) => {
      const controller = new AbortController()
      const timer = timeoutManager.setTimeout(() => {
        controller.abort()
        reject(
          new RefreshFailedError(
            `Refresh timed out after ${seconds(refreshTimeoutMs)} and was aborted.`,
          ),
        )
      }, refreshTimeoutMs)
      Promise.resolve()
        .then(() => refreshFn(refreshToken, { signal: controller.signal }))
        .then(resolve, reject)
        .finally(() => timeoutManager.clearTimeout(timer))
    })

  // Ten a minute, or twice what the token's lifetime calls for (a tester's 5 s tokens need 15).
  const loopLimit = () => Math.max(10, Math.ceil(120_000 / Math.max(lifetimeMs, 5_000)))

  const loopError = () =>
    new RefreshLoopError(
      `More than ${loopLimit()} refreshes in a minute: refreshing is paused for ${seconds(breaker.reopensInMs(loopLimit()))}. Check that the server issues tokens that live longer than a few seconds and accepts the ones it issued.`,
    )

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
          // Tab store: the last holder committed its record there before releasing the lock;
          // storage and this tab's state may still lag behind it, or lead it (no IndexedDB there).
          const committed = await loadRecord(tabStore, key)
          if (epoch !== startedIn) return superseded()
          // Inside the lock, storage first: another tab may have refreshed while this one waited,
          // and sending the refresh token it rotated would trip the server's reuse detection.
          const stored = newestRecord(readRecord(storage, key), own(), committed)
          if (stored && stored.accessToken !== stale && isFresh(stored)) {
            if (stored.accessToken !== get().accessToken) {
              adopt(stored, claimsOf(stored), 'refresh', 'other-tab')
            }
            return stored.accessToken
          }
          if (!breaker.tryAcquire(loopLimit())) throw loopError()
          sentRefreshToken = stored?.refreshToken ?? get().refreshToken
          const pair = await callRefresh(sentRefreshToken)
          if (epoch !== startedIn) return superseded()
          let next: ReturnType<typeof toRecord>
          try {
            next = toRecord(pair, sentRefreshToken)
          } catch (error) {
            throw new InvalidRefreshResponseError(
              `The refresh answered with an access token that cannot be used: ${(error as Error).message}`,
              { cause: error },
            )
          }
          adopt(next.record, next.claims, 'refresh', 'network')
          await saveRecord(tabStore, key, next.record)
          return next.record.accessToken
        },
        { timeoutMs: lockTimeoutMs },
      )
    } catch (caught) {
      if (epoch !== startedIn) throw caught
      return failed(caught, sentRefreshToken)
    }
  }

  const own = (): SessionRecord | null => {
    const { status, accessToken, refreshToken, expiresAt } = get()
    const live = status === 'authenticated' || status === 'refreshing'
    return live && accessToken && expiresAt !== null
      ? { accessToken, refreshToken, expiresAt, lifetimeMs }
      : null
  }

  const superseded = (): string => {
    const token = peek()
    if (token) return token
    throw sessionEnded()
  }

  const failed = (caught: unknown, sentRefreshToken: string | null): string => {
    let error: AuthKitError = isAuthKitError(caught)
      ? caught
      : new RefreshFailedError('The refresh function threw; see `cause`. Treated as transient.', {
          cause: caught,
        })
    if (error.code === 'REFRESH_REJECTED') {
      // Another tab may have rotated the token under us; its result is as good as ours.
      const stored = readRecord(storage, key)
      if (stored && stored.refreshToken !== sentRefreshToken && isFresh(stored)) {
        adopt(stored, claimsOf(stored), 'refresh', 'other-tab')
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

  /** Starts a refresh unless one runs; joins a pending backoff unless `force`. */
  const kick = (reason: RefreshReason, force: boolean): Promise<string> | null => {
    const running = flight.current()
    if (running) return running
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
    if (remaining <= marginFor(lifetimeMs) && !breaker.isOpen(loopLimit()) && !quiet) {
      kick(reason, reason !== 'scheduled')?.catch(() => undefined)
    }
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
        if (state.error?.code === 'REFRESH_LOOP' && breaker.isOpen(loopLimit())) finish(state.error)
      }
      unsubscribe = store.subscribe(settle)
      kick(reason, false)?.catch(() => undefined)
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
      if (record.accessToken === accessToken) return
      if (!signIn && expiresAt !== null && expiresAt >= record.expiresAt) return
      const claims = claimsOf(record)
      if (!claims) return
      adopt(record, claims, signIn ? 'sign-in' : 'refresh', 'other-tab')
    } else if (message.type === 'hello') {
      const { status, accessToken, refreshToken, expiresAt } = get()
      if (status === 'authenticated' && accessToken && expiresAt !== null) {
        channel?.post({
          type: 'handoff',
          to: message.from,
          record: { accessToken, refreshToken, expiresAt, lifetimeMs },
        })
      }
    } else if (get().status === 'authenticated' || get().status === 'refreshing') {
      end(message.type === 'logout' ? 'logout-elsewhere' : 'ended-elsewhere', null, false)
    }
  }
  // A reload: the stored record keeps the expiry measured when the token first arrived.
  const restored = readRecord(storage, key)
  const restoredClaims = restored && claimsOf(restored)
  if (restored && restoredClaims) {
    lifetimeMs = restored.lifetimeMs
    set({
      status: 'authenticated',
      accessToken: restored.accessToken,
      refreshToken: restored.refreshToken,
      expiresAt: restored.expiresAt,
      user: restoredClaims,
    })
  } else if (restored) {
    storage.removeItem(key)
  }
  channel?.subscribe(onMessage)
  if (!restored) channel?.post({ type: 'hello', from: tabId })

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
      const { record, claims } = toRecord(pair, null)
      adopt(record, claims, 'sign-in', 'local')
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
      return kick(reason, true) as Promise<string>
    },
    async logout() {
      const { status, accessToken, refreshToken } = get()
      if (status === 'anonymous') return
      end('logout', null, true)
      if (accessToken) await revoke({ accessToken, refreshToken })
    },
    start() {
      if (started) return
      started = true
      const unsubscribeFocus = focusManager.subscribe((reason) => check(reason))
      const unsubscribeOnline = onlineManager.subscribe((reason) => check(reason))
      stopWaking = () => {
        unsubscribeFocus()
        unsubscribeOnline()
      }
      scheduleTick()
      check('start')
    },
    stop() {
      started = false
      stopWaking?.()
      stopWaking = null
      scheduleTick()
      cancelRetry()
    },
    forceExpire() {
      const { accessToken, refreshToken } = get()
      if (!accessToken) return
      const expiresAt = now()
      writeRecord(storage, key, { accessToken, refreshToken, expiresAt, lifetimeMs })
      void saveRecord(tabStore, key, { accessToken, refreshToken, expiresAt, lifetimeMs })
      set({ expiresAt })
      expiredToken = accessToken
      emit({ type: 'expired', forced: true })
    },
    invalidateAccessToken() {
      const { accessToken, refreshToken, expiresAt } = get()
      const parts = accessToken?.split('.')
      if (!parts || parts.length !== 3 || expiresAt === null) return
      const signature = parts[2] ?? ''
      parts[2] = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1)
      const tampered = parts.join('.')
      writeRecord(storage, key, { accessToken: tampered, refreshToken, expiresAt, lifetimeMs })
      void saveRecord(tabStore, key, { accessToken: tampered, refreshToken, expiresAt, lifetimeMs })
      set({ accessToken: tampered })
      emit({ type: 'invalidated' })
    },
  }
}
