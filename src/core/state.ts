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
