import { createAuthStore } from './createAuthStore'
import { createEventStream } from './createEventStream'
import { createHeldToken } from './createHeldToken'
import { createRefresher } from './createRefresher'
import { createRefreshScheduler } from './createRefreshScheduler'
import { createRetainCount } from './createRetainCount'
import { createTabMessages } from './createTabMessages'
import { attachTesterHooks } from './createTesterHooks'
import { createTokenReader } from './createTokenReader'
import { createUserLoader } from './createUserLoader'
import { NotAuthenticatedError, type AuthKitError } from './errors'
import { resolveSessionOptions } from './resolveSessionOptions'
import type { SessionHost } from './SessionHost'
import { sessionEndedError } from './sessionEndedError'
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
  const store = createAuthStore()
  const get = store.getState
  const set = (partial: Partial<AuthState>) => store.setState(partial)
  const events = createEventStream(now)
  const emit = events.emit
  const reader = createTokenReader(config)
  const held = createHeldToken(store, reader, now)
  const { own, peek } = held
  // Bumped by every sign-in and sign-out, so that a refresh that straddles one is discarded.
  let epoch = 0
  let destroyed = false

  const persist = (record: SessionRecord) => {
    writeRecord(storage, key, record)
    void saveRecord(tabStore, key, record)
  }
  const assertSignedIn = (nobody: string) => {
    const { status } = get()
    if (status === 'anonymous') throw new NotAuthenticatedError(nobody)
    if (status === 'ended') throw sessionEndedError(get())
  }

  const host: SessionHost = {
    config,
    store,
    reader,
    emit,
    own,
    peek,
    persist,
    adopt,
    endSession,
    epoch: () => epoch,
    lifetimeMs: held.lifetimeMs,
  }
  const scheduler = createRefreshScheduler(host, () => refresher)
  const refresher = createRefresher(host, scheduler.retry)
  const tabs = createTabMessages(host)
  const loadUser = createUserLoader(host, (record) => tabs.announceTokens(record, false))

  // Functions, not constants: the parts above take them before this point is reached.
  function adopt(
    given: SessionRecord,
    kind: 'sign-in' | 'refresh',
    source: 'local' | 'network' | 'other-tab',
    idToken: string | null = null,
  ) {
    const record = keepsRefreshToken ? given : { ...given, refreshToken: null }
    const signIn = kind === 'sign-in'
    const decoded = reader.decode(record)
    const user = reader.userOf(record, decoded, signIn ? null : get().user)
    held.hold(record)
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

  function endSession(
    reason: EndReason,
    error: AuthKitError | null,
    { announce }: { announce: boolean },
  ) {
    epoch++
    scheduler.retry.cancel()
    held.hold(null)
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

  const restored = held.restore(storage, key, keepsRefreshToken)
  if (restored.accessToken && !restored.user) loadUser(restored.accessToken, null)
  if (!restored.found) tabs.greet()

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
      assertSignedIn(
        'No one is signed in: call setTokens(pair) after login before making authenticated calls.',
      )
      if (rejectedToken && rejectedToken === get().accessToken) refresher.refuse(rejectedToken)
      const token = peek()
      if (token && token !== rejectedToken) {
        scheduler.refreshIfDue('scheduled')
        return token
      }
      const reason = rejectedToken ? 'unauthorized' : 'expired'
      return waitForFreshToken(host, refresher, { timeoutMs, rejected: rejectedToken, reason })
    },
    async refresh(reason = 'manual') {
      assertSignedIn('Nothing to refresh: no one is signed in.')
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
      if (config.ownsTabStore) config.noteStore?.close?.()
      events.clear()
    },
  }
  attachTesterHooks(session, host, scheduler.markExpired)
  return session
}
