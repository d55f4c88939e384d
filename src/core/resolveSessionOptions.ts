import { createLocalCoordinator } from './createLocalCoordinator'
import { createRefreshAdapter } from './createRefreshAdapter'
import { createRevokeAdapter } from './createRevokeAdapter'
import { createSlidingRefreshAdapter } from './createSlidingRefreshAdapter'
import { checkUserSource, storesUser } from './readUser'
import { createDefaultStorage } from './storage'
import { createTabSync } from './tabSync'
import type {
  AuthSessionOptions,
  KeyValueStore,
  RefreshCoordinator,
  RefreshFn,
  SessionChannel,
  TokenStorage,
  UserSource,
} from './types'

/** The session's options with every default applied, and the tab plumbing they call for. */
export interface SessionConfig {
  now: () => number
  key: string
  storage: TokenStorage
  userSource: UserSource
  /** The user is stored with the tokens (it cannot be read again from the access token). */
  keepsUser: boolean
  /** A refresh token lives in JS (`refreshCredential: 'stored'`); else never stored nor in state. */
  keepsRefreshToken: boolean
  /** Cookie mode: a reload with nothing stored may still resume the session. */
  withCredentials: boolean
  marginMs: number
  tickMs: number
  refreshTimeoutMs: number
  maxRefreshCallMs: number
  lockTimeoutMs: number
  refreshFn: RefreshFn
  revoke: NonNullable<AuthSessionOptions['revoke']>
  coordinator: RefreshCoordinator
  channel: SessionChannel | null
  /** The session made its channel, so `destroy()` closes it; a channel the caller passed is theirs. */
  ownsChannel: boolean
  /** The session made its tab store, so `destroy()` closes it; a store the caller passed is theirs. */
  ownsTabStore: boolean
  /** What the refresh lock reads and writes: the session record, consistently across tabs. */
  tabStore: KeyValueStore | null
  /** Where the refresh notes its busy time and Retry-After hold (no secret: times only). */
  noteStore: KeyValueStore | null
}

export function resolveSessionOptions(options: AuthSessionOptions): SessionConfig {
  const key = options.storageKey ?? 'token-refresh-kit'
  const storage = options.storage ?? createDefaultStorage()
  const userSource = checkUserSource(options.user)
  const refreshTimeoutMs = options.refreshTimeoutMs ?? 10_000
  // A call past `refreshTimeoutMs` is kept: with rotating refresh tokens its late answer is the
  // only valid one, and sending the same refresh token again would trip reuse detection.
  const maxRefreshCallMs = Math.max(refreshTimeoutMs, options.maxRefreshCallMs ?? 60_000)
  const credential = options.refreshCredential ?? 'stored'
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
  const callerCoordinates = options.coordinator !== undefined && options.channel !== undefined
  const tabSync = callerCoordinates ? null : createTabSync(key)
  const tabStore =
    options.tabStore !== undefined
      ? options.tabStore
      : // Tokens go to the tab store only from storage that already shares them across tabs
        // (localStorage); memory and sessionStorage keep them off disk.
        storage.sharedAcrossTabs
        ? (tabSync?.store ?? null)
        : null
  return {
    now: options.now ?? Date.now,
    key,
    storage,
    userSource,
    keepsUser: storesUser(userSource),
    keepsRefreshToken: credential === 'stored',
    withCredentials,
    marginMs: (options.refreshMarginSeconds ?? 60) * 1000,
    tickMs: (options.tickSeconds ?? 30) * 1000,
    refreshTimeoutMs,
    maxRefreshCallMs,
    // Longer than a refresh may take: a live tab's refresh is aborted and its lock released
    // before any waiter gives up on it, so waiters never overtake it and spend its token again.
    lockTimeoutMs: options.lockTimeoutMs ?? refreshTimeoutMs + 5_000,
    refreshFn,
    revoke: options.revoke ?? createRevokeAdapter({ baseURL: options.baseURL, withCredentials }),
    // Per session: a refresh stuck in one session (a test that ended mid-refresh) must not hold
    // up others in the same realm; tabs share through Web Locks, tests through an injected one.
    coordinator: options.coordinator ?? tabSync?.coordinator ?? createLocalCoordinator(),
    channel: options.channel === undefined ? (tabSync?.channel ?? null) : options.channel,
    ownsChannel: options.channel === undefined,
    ownsTabStore: options.tabStore === undefined && tabSync !== null,
    tabStore,
    noteStore: options.tabStore !== undefined ? options.tabStore : (tabSync?.store ?? null),
  }
}
