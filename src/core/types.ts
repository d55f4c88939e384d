import type { StoreApi } from 'zustand/vanilla'
import type { AuthKitError } from './errors'

/** What a login or a refresh hands the session. */
export interface TokenPair {
  accessToken: string
  /** Opaque; `null` or absent when the backend keeps it in an HttpOnly cookie. */
  refreshToken?: string | null
  /** Seconds the access token lives; used when the token carries no `exp`, and required for an opaque (non-JWT) one. */
  expiresIn?: number
  /** The OpenID Connect ID token of the token response, read when the session's `user` is `'id-token'`. */
  idToken?: string
}

/** The claims of an access token, as the contract's backend issues them; others may add more. */
export interface AccessTokenClaims {
  sub?: string
  exp?: number
  iat?: number
  jti?: string
  user_id?: string | number
  username?: string
  email?: string
  name?: string
  role?: string
  permissions?: string[]
  [claim: string]: unknown
}

export type AuthStatus = 'anonymous' | 'authenticated' | 'refreshing' | 'ended'

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

/** Why a session ended. */
export type EndReason =
  /** `logout()` in this tab. */
  | 'logout'
  /** Another tab of the same origin signed out. */
  | 'logout-elsewhere'
  /** The server refused the refresh token (401, 400 or 403 from the refresh call). */
  | 'refresh-rejected'
  /** Another tab's refresh was refused and it told this tab. */
  | 'ended-elsewhere'

/** Why a refresh was started; carried on events so the app and the extension can show it. */
export type RefreshReason =
  'scheduled' | 'expired' | 'unauthorized' | 'manual' | 'visible' | 'focus' | 'online' | 'start'

export interface AuthState {
  status: AuthStatus
  accessToken: string | null
  refreshToken: string | null
  /** Local epoch ms at which the access token expires, measured on this machine's clock. */
  expiresAt: number | null
  /** The signed-in user: by default the access token's claims (see `UserSource`); never a token. */
  user: AccessTokenClaims | null
  /** Refreshes completed by this session (in this tab or adopted from another). */
  refreshCount: number
  lastRefreshAt: number | null
  /** The last error: a transient refresh failure, a tripped breaker, the one that ended the session. */
  error: AuthKitError | null
  endReason: EndReason | null
}

/** A typed event stream: the React bindings, the devtools bridge and the app's logs read it. */
export type AuthEvent =
  | { type: 'signed-in'; at: number; user: AccessTokenClaims | null; source: 'local' | 'other-tab' }
  | { type: 'refresh-started'; at: number; reason: RefreshReason }
  | {
      type: 'refreshed'
      at: number
      expiresAt: number
      /** `network`: this tab called the server; `other-tab`: adopted what another tab obtained. */
      source: 'network' | 'other-tab'
    }
  | {
      type: 'refresh-failed'
      at: number
      error: AuthKitError
      /** Transient failures are retried; a rejection ends the session (an `ended` event follows). */
      transient: boolean
      retryInMs: number | null
    }
  | {
      type: 'retried'
      at: number
      method: string
      /** The request path without its query string, so that no secret can leak through it. */
      url: string
    }
  | { type: 'expired'; at: number; forced: boolean }
  | { type: 'invalidated'; at: number }
  | { type: 'ended'; at: number; reason: EndReason; error: AuthKitError | null }

export type AuthEventListener = (event: AuthEvent) => void

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

/** What the session keeps in storage under `storageKey` (and sends to other tabs). */
export interface SessionRecord {
  accessToken: string
  refreshToken: string | null
  /** Local epoch ms, so that a reload keeps the same expiry. */
  expiresAt: number
  /** The token's whole lifetime, which scales the refresh margin for short-lived tokens. */
  lifetimeMs: number
  /** Set for an opaque access token, whose expiry came from `expires_in`; any other must be a readable JWT. */
  opaque?: true
  /** The user, when it does not come from the access token (see `UserSource`); never a token. */
  user?: AccessTokenClaims
}

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

/** Messages between the tabs of one origin, a union on `type`. */
export type SessionMessage =
  | { type: 'tokens'; record: SessionRecord; signIn: boolean }
  | { type: 'logout' }
  | { type: 'ended' }
  /** A new tab asks whether another holds a session (memory storage hand-off). */
  | { type: 'hello'; from: string }
  | { type: 'handoff'; to: string; record: SessionRecord }

/** Carries session messages to the other tabs; a tab never receives its own posts. */
export interface SessionChannel {
  post(message: SessionMessage): void
  subscribe(listener: (message: SessionMessage) => void): () => void
  /** Releases the underlying channel; the session calls it on `destroy()` for the channel it made. */
  close?(): void
}

/** Options of `getAccessToken`. */
export interface GetAccessTokenOptions {
  /** How long to wait for a refresh before rejecting with `AuthTimeoutError`. Default 30 000. */
  timeoutMs?: number
  /** A token the server answered 401 to: return a different one, refreshing unless another is already here. */
  rejectedToken?: string
}

/** An event without its timestamp, which the session adds. */
export type AuthEventInput = AuthEvent extends infer E
  ? E extends AuthEvent
    ? Omit<E, 'at'>
    : never
  : never

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

export interface AuthSession {
  /** The zustand vanilla store that holds the state; React reads it with `useStore`. */
  readonly store: StoreApi<AuthState>
  getState(): AuthState
  subscribe(listener: (state: AuthState, previous: AuthState) => void): () => void
  /** Subscribes to the typed event stream; returns the unsubscribe. */
  onEvent(listener: AuthEventListener): () => void
  /** Adopts a pair after login. Throws `InvalidTokenError` for a token that cannot be decoded. */
  setTokens(pair: TokenPair): void
  /** A valid access token, refreshing first when it is expired or about to be. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>
  /** The access token if it can be sent now, without waiting or refreshing; else `null`. */
  peekAccessToken(): string | null
  /** Adds a `retried` event to the stream: the interceptor and `createAuthFetch` report a request retried after a 401. */
  noteRetried(request: { method: string; url: string }): void
  /** Refreshes now; concurrent callers share one request (single flight). */
  refresh(reason?: RefreshReason): Promise<string>
  /** Signs out here and in every tab, and revokes on the server (best effort). */
  logout(): Promise<void>
  /** Starts the scheduler and the visibility, focus and online checks. */
  start(): void
  stop(): void
  /**
   * Counts a host that uses the session (a mounted provider, a widget): the first starts the
   * scheduler, and releasing the last stops it. Returns the release. A release followed by a
   * retain in the same task (React StrictMode's remount) neither stops nor restarts it.
   */
  retain(): () => void
  /**
   * Stops the scheduler and releases the tab channel, the wake-up subscriptions and the event
   * listeners, for hosts that create sessions and drop them (tests, micro-frontends). A refresh
   * already in flight still stores its answer. The session cannot be started again.
   */
  destroy(): void
}
