import type { StoreApi } from 'zustand/vanilla'
import type { AuthEventListener, RefreshReason } from './events'
import type { AuthState, TokenPair } from './state'

/** Options of `getAccessToken`. */
export interface GetAccessTokenOptions {
  /** How long to wait for a refresh before rejecting with `AuthTimeoutError`. Default 30 000. */
  timeoutMs?: number
  /** A token the server answered 401 to: return a different one, refreshing unless another is already here. */
  rejectedToken?: string
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
