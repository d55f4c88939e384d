import type { SessionMessage } from './events'
import type { AccessTokenClaims, TokenPair } from './state'

/**
 * Where the session's `user` comes from:
 * - `'access-token'` (default): the access token's claims; `null` for an opaque token.
 * - `'id-token'`: the claims of the `idToken` handed to `setTokens` (OpenID Connect); a refresh
 *   answer with a new one replaces them, one without keeps them.
 * - `'none'`: always `null`.
 * - a function, such as a call to `/me`: called after each sign-in; `user` is `null` until it
 *   resolves, and refreshes keep what it returned. Its errors leave `user` at `null`.
 * Except for `'access-token'`, the user is stored with the tokens, so reloads and other tabs share it.
 */
export type UserSource = 'access-token' | 'id-token' | 'none' | UserLoader

/** Loads the signed-in user from the tokens, e.g. with a call to the backend's `/me`. */
export type UserLoader = (tokens: {
  accessToken: string
  idToken: string | null
}) => Promise<AccessTokenClaims | null>

/** Synchronous key-value storage in the shape of Web Storage. */
export interface TokenStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
  /** True when every tab of the origin reads the same items (localStorage). Default false. */
  readonly sharedAcrossTabs?: boolean
}

/** Asynchronous key-value storage; each call is one transaction, committed when it resolves. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<void>
  remove(key: string): Promise<void>
  /** Reads `key` and writes `next(value)` (null removes it) in one transaction; resolves to what it wrote. */
  update(key: string, next: (value: string | null) => string | null): Promise<string | null>
  /** Lets go of what it holds open (a database connection); a later call opens it again. */
  close?(): void
}

/**
 * Calls the backend with a refresh token and returns the new pair. `signal` aborts it (after
 * `maxRefreshCallMs`); `accessToken` is the current one, for backends that refresh with it.
 * It may throw anything: a `RefreshRejectedError`, or an error carrying an HTTP status of 400,
 * 401, 403 or another 4xx but 408 and 429 (axios `response.status`, fetch/ky `status` or
 * `response.status`), ends the session; anything else is a transient failure, retried.
 */
export type RefreshFn = (
  refreshToken: string | null,
  context: { signal: AbortSignal; accessToken: string | null },
) => Promise<TokenPair>

/** Runs one refresh at a time per name: across tabs with Web Locks, in one process with a mutex. */
export interface RefreshCoordinator {
  /**
   * Runs `fn` holding the lock `name`; after `timeoutMs` of waiting it runs `fn` anyway, unless
   * `busyForMs` (asked when the wait times out) says the holder's refresh call may still be
   * answered for that many ms: then it waits that long more.
   */
  runExclusive<T>(
    name: string,
    fn: () => Promise<T>,
    options: { timeoutMs: number; busyForMs?: () => Promise<number> },
  ): Promise<T>
}

/** Carries session messages to the other tabs; a tab never receives its own posts. */
export interface SessionChannel {
  post(message: SessionMessage): void
  subscribe(listener: (message: SessionMessage) => void): () => void
  /** Releases the underlying channel; the session calls it on `destroy()` for the channel it made. */
  close?(): void
}

/**
 * Where the refresh credential lives. `stored`: a refresh token the session keeps in `storage`.
 * `cookie`: an HttpOnly cookie that JS never sees. `access-token`: none; the current access token
 * is presented to refresh itself (a sliding session).
 */
export type RefreshCredential = 'stored' | 'cookie' | 'access-token'

export interface AuthSessionOptions {
  /** Where `user` comes from (see `UserSource`). Default `'access-token'`. */
  user?: UserSource
  /**
   * The refresh call. Default: for `refreshCredential` `stored`, the contract's `POST
   * /api/v1/auth/refresh` with `{ refresh_token }`; `cookie`, the same with credentials and no
   * token; `access-token`, the same with the access token as Bearer, answered `{ success, token }`.
   */
  refresh?: RefreshFn
  /**
   * Where the refresh credential lives. With `cookie` and `access-token` no refresh token is ever
   * stored or kept in state; with `cookie`, `start()` without a stored access token resumes the
   * session with one silent refresh, and the default refresh and revoke calls send credentials.
   * Default `stored`.
   */
  refreshCredential?: RefreshCredential
  /** Revokes the session on the server at logout; errors are ignored. Default: the contract's `POST /api/v1/auth/logout`. */
  revoke?: (tokens: { accessToken: string; refreshToken: string | null }) => Promise<void>
  /** Where tokens live. Default: localStorage where it exists, else memory. */
  storage?: TokenStorage
  /** The storage key, and the name of the cross-tab lock and channel. Default `token-refresh-kit`. */
  storageKey?: string
  /** Refresh when fewer than this many seconds remain. Default 60. */
  refreshMarginSeconds?: number
  /** How often the scheduler checks. Default 30. */
  tickSeconds?: number
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number
  /** Base URL of the default refresh and revoke calls. Default: relative to the page. */
  baseURL?: string
  /**
   * How long a caller of `refresh()` waits for the refresh call. The call itself goes on: its late
   * answer is adopted, and the refresh token is not sent again while it may still be answered.
   * Default 10 000.
   */
  refreshTimeoutMs?: number
  /**
   * A refresh call with no answer after this long is aborted and retried with backoff (with the
   * same refresh token: a server that rotates must have answered by then, or accept it again).
   * Default 60 000; never less than `refreshTimeoutMs`.
   */
  maxRefreshCallMs?: number
  /** How long a refresh waits for another tab's lock (a frozen tab) before it moves on. Default `refreshTimeoutMs` + 5 000. */
  lockTimeoutMs?: number
  /** Serialises refreshes across tabs. Default: Web Locks where they exist, else an in-process mutex. */
  coordinator?: RefreshCoordinator
  /** Carries tokens and sign-outs to other tabs. Default: BroadcastChannel in a browser; `null` turns it off. */
  channel?: SessionChannel | null
  /**
   * Where the refresh lock reads and writes the session record, consistently across tabs.
   * Default: IndexedDB in a browser when `storage` is shared across tabs (localStorage); `null` turns it off.
   */
  tabStore?: KeyValueStore | null
}
