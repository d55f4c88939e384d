import { createStore } from 'zustand/vanilla'
import { createEventStream } from './createEventStream'
import { createRefresher } from './createRefresher'
import { createRefreshScheduler } from './createRefreshScheduler'
import { createRetainCount } from './createRetainCount'
import { createTabMessages } from './createTabMessages'
import { attachTesterHooks } from './createTesterHooks'
import { createTokenReader } from './createTokenReader'
import { createUserLoader } from './createUserLoader'
import { NotAuthenticatedError, SessionEndedError, type AuthKitError } from './errors'
import { resolveSessionOptions } from './resolveSessionOptions'
import type { SessionHost } from './SessionHost'
import { readRecord, saveRecord, writeRecord } from './sessionRecord'
import type { AuthSession, AuthSessionOptions, AuthState, EndReason, SessionRecord } from './types'
import { waitAtMost } from './waitAtMost'
import { waitForFreshToken } from './waitForFreshToken'

/**
 * Creates the session engine: its state in a zustand store, and the refresher, the scheduler and
 * the tab messages that keep it fresh.
 */
export function createAuthSession(options: AuthSessionOptions = {}): AuthSession {
  const config = resolveSessionOptions(options)
  const { now, key, storage, tabStore, keepsRefreshToken } = config
  const store = createStore<AuthState>()(() => ({
    status: 'anonymous',
    accessToken: null,
    refreshToken: null,
    expiresAt: null,
    user: null,
    refreshCount: 0,
    lastRefreshAt: null,
    error: null,
    endReason: null,
  }))
  const get = store.getState
  const set = (partial: Partial<AuthState>) => store.setState(partial)
  const events = createEventStream(now)
  const emit = events.emit
  const reader = createTokenReader(config)
  // The held token's lifetime, which scales the refresh margin, and whether it is opaque.
  let lifetimeMs = 0
  let opaque = false
  // Bumped by every sign-in and sign-out, so that a refresh that straddles one is discarded.
  let epoch = 0
  let destroyed = false

  const peek = (): string | null => {
    const { status, accessToken, expiresAt } = get()
    const live = status === 'authenticated' || status === 'refreshing'
    return live && accessToken && expiresAt !== null && expiresAt > now() ? accessToken : null
  }
  const own = (): SessionRecord | null => {
    const { status, accessToken, refreshToken, expiresAt, user } = get()
    const live = status === 'authenticated' || status === 'refreshing'
    if (!live || !accessToken || expiresAt === null) return null
    const record = { accessToken, refreshToken, expiresAt, lifetimeMs }
    return reader.withUser(opaque ? { ...record, opaque: true } : record, user)
  }
  const persist = (record: SessionRecord) => {
    writeRecord(storage, key, record)
    void saveRecord(tabStore, key, record)
  }
  const sessionEnded = () => {
    const { endReason, error } = get()
    return new SessionEndedError(
      `The session has ended (${endReason ?? 'signed out'}); sign in again to continue.`,
      { cause: error },
    )
  }

  const host: SessionHost = {
    ...{ config, store, reader, emit, own, peek, persist, sessionEnded, adopt, endSession },
    epoch: () => epoch,
    lifetimeMs: () => lifetimeMs,
  }
  const scheduler = createRefreshScheduler(host, () => refresher)
  const refresher = createRefresher(host, scheduler.retry)
  const tabs = createTabMessages(host)
  const loadUser = createUserLoader({
    userSource: config.userSource,
    epoch: host.epoch,
    keep(user) {
      const current = own()
      if (!current) return
      set({ user })
      const record = reader.withUser(current, user)
      persist(record)
      tabs.announceTokens(record, false)
    },
  })

  // Declared as functions: the parts above take them before this point is reached.
  function adopt(...[given, kind, source, idToken = null]: Parameters<SessionHost['adopt']>) {
    const record = keepsRefreshToken ? given : { ...given, refreshToken: null }
    const signIn = kind === 'sign-in'
    const decoded = reader.decode(record)
    const user = reader.userOf(record, decoded, signIn ? null : get().user)
    lifetimeMs = record.lifetimeMs
    opaque = record.opaque === true
    refresher.adopted(signIn, source, decoded?.claims)
    if (signIn) epoch++
    // Another tab's record is written only over an older one: a late message must never put
    // back a refresh token that has since been rotated.
    const stored = source === 'other-tab' ? readRecord(storage, key) : null
    if (!stored || stored.expiresAt < record.expiresAt) writeRecord(storage, key, record)
    const { refreshCount, lastRefreshAt } = get()
    set({
      status: 'authenticated',
      accessToken: record.accessToken,
      refreshToken: record.refreshToken,
      expiresAt: record.expiresAt,
      user,
      error: null,
      endReason: null,
      refreshCount: signIn ? 0 : refreshCount + 1,
      lastRefreshAt: signIn ? lastRefreshAt : now(),
    })
    if (signIn) {
      emit({ type: 'signed-in', user, source: source === 'local' ? 'local' : 'other-tab' })
    } else {
      const from = source === 'network' ? 'network' : 'other-tab'
      emit({ type: 'refreshed', expiresAt: record.expiresAt, source: from })
    }
    if (source !== 'other-tab') {
      tabs.announceTokens(record, signIn)
      if (!user) loadUser(record.accessToken, idToken)
    }
    scheduler.reschedule()
  }

  function endSession(...[reason, error, { announce }]: Parameters<SessionHost['endSession']>) {
    epoch++
    scheduler.retry.cancel()
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
    if (announce) tabs.announceEnd(reason)
    scheduler.reschedule()
  }

  // A reload: the stored record keeps the expiry measured when the token first arrived.
  const restored = readRecord(storage, key)
  const restoredToken = restored && reader.decode(restored)
  if (restored && restoredToken) {
    lifetimeMs = restored.lifetimeMs
    opaque = restored.opaque === true
    const user = reader.userOf(restored, restoredToken, null)
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
  if (!restored) tabs.greet()

  const session: AuthSession = {
    store,
    getState: get,
    subscribe: store.subscribe,
    onEvent: events.subscribe,
    noteRetried: ({ method, url }) => emit({ type: 'retried', method, url }),
    setTokens(pair) {
      const { record } = reader.readSignIn(pair)
      adopt(record, 'sign-in', 'local', pair.idToken ?? null)
      void saveRecord(tabStore, key, record)
    },
    peekAccessToken: peek,
    async getAccessToken({ timeoutMs = 30_000, rejectedToken } = {}) {
      const { status, accessToken } = get()
      if (status === 'anonymous') {
        throw new NotAuthenticatedError(
          'No one is signed in: call setTokens(pair) after login before making authenticated calls.',
        )
      }
      if (status === 'ended') throw sessionEnded()
      if (rejectedToken && rejectedToken === accessToken) refresher.refuse(rejectedToken)
      const token = peek()
      if (token && token !== rejectedToken) {
        scheduler.refreshIfDue('scheduled')
        return token
      }
      const reason = rejectedToken ? 'unauthorized' : 'expired'
      const host = { store, now, peek, sessionEnded, refresher }
      return waitForFreshToken(host, timeoutMs, rejectedToken, reason)
    },
    async refresh(reason = 'manual') {
      const { status } = get()
      if (status === 'anonymous') {
        throw new NotAuthenticatedError('Nothing to refresh: no one is signed in.')
      }
      if (status === 'ended') throw sessionEnded()
      const { refreshTimeoutMs, maxRefreshCallMs } = config
      return waitAtMost(refresher.refreshNow(reason), refreshTimeoutMs, maxRefreshCallMs)
    },
    async logout() {
      const { status, accessToken, refreshToken } = get()
      if (status === 'anonymous') return
      endSession('logout', null, { announce: true })
      if (accessToken) await config.revoke({ accessToken, refreshToken })
    },
    start() {
      if (destroyed) {
        throw new Error(
          '[token-refresh-kit] start() after destroy(): create a new session with createAuthSession().',
        )
      }
      scheduler.start()
    },
    stop: () => scheduler.stop(),
    retain: createRetainCount(
      () => session.start(),
      () => session.stop(),
    ),
    destroy() {
      if (destroyed) return
      destroyed = true
      scheduler.stop()
      tabs.close()
      events.clear()
    },
  }
  attachTesterHooks(session, host, scheduler.markExpired)
  return session
}
