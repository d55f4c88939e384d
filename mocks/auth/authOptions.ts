import type { RefreshMode } from './authModel'

/** A user the instance signs in; the password is hashed when the instance first serves. */
export interface AuthUser {
  email: string
  password: string
  /** Default `usr_<n>`, its place in `users` from 1: the token's `sub`. */
  id?: string
  /** Default the part of the email before `@`; signs in too. */
  username?: string
  /** Default the username. */
  name?: string
  /** Default `user`. */
  role?: string
  /** The token's `permissions`, which `withAuth(resolver, permission)` checks. Default none. */
  permissions?: readonly string[]
}

/** The developer's own routes, relative to `baseUrl`; `null` serves no such route. */
export interface AuthPaths {
  /** Default `/api/v1/auth/login`. */
  login: string | null
  /** Default `/api/v1/auth/refresh`. */
  refresh: string | null
  /** Default `/api/v1/auth/logout`. */
  logout: string | null
  /** Default `/api/v1/auth/me`. */
  me: string | null
  /** Default `/api/v1/auth/register`. */
  register: string | null
  /** Default `/api/v1/auth/health`. */
  health: string | null
  /** The OAuth 2.0 token endpoint (RFC 6749: refresh_token and password grants). Default `/oauth/token`. */
  oauthToken: string | null
  /** The OAuth 2.0 revocation endpoint (RFC 7009). Default `/oauth/revoke`. */
  oauthRevoke: string | null
}

export const DEFAULT_AUTH_PATHS: AuthPaths = {
  login: '/api/v1/auth/login',
  refresh: '/api/v1/auth/refresh',
  logout: '/api/v1/auth/logout',
  me: '/api/v1/auth/me',
  register: '/api/v1/auth/register',
  health: '/api/v1/auth/health',
  oauthToken: '/oauth/token',
  oauthRevoke: '/oauth/revoke',
}

export interface CreateAuthHandlersOptions {
  /** Where the routes live: an origin with an optional path (`https://api.test/v2`), a path (`/api`, the page's origin), or `*` for any origin. */
  baseUrl: string
  /** Default the contract's routes (`DEFAULT_AUTH_PATHS`); give only those that differ. */
  paths?: Partial<AuthPaths>
  users: readonly AuthUser[]
  /** Access token lifetime. Default 300. */
  accessTtlSeconds?: number
  /** Refresh token lifetime. Default 86400. */
  refreshTtlSeconds?: number
  /** How the refresh credential travels: `json` body, HttpOnly `cookie`, or `sliding` (Bearer access token). Default `json`. */
  refreshMode?: RefreshMode
  /** Strict rotation: a rotated refresh token presented again revokes its whole session. Default true. */
  reuseDetection?: boolean
  /** The HS256 secret, so your own code can verify tokens; default a random key per instance and reset. */
  signingKey?: string
  /** The roles `register` may create and the permissions each gets; the first is the default. Default `{ user: [] }`. */
  registrableRoles?: Readonly<Record<string, readonly string[]>>
}
