/** The state of one createAuthHandlers instance: users, sessions, tokens, scenarios and counters. */
import type { FailRefreshStatus } from './failRefreshStatus'

/**
 * How the refresh credential travels: `json`, the contract's `{refresh_token}` body; `cookie`, an
 * HttpOnly cookie set on login and refresh; `sliding`, the access token itself as Bearer (seed 003).
 */
export type RefreshMode = 'json' | 'cookie' | 'sliding'

export const REFRESH_MODES: readonly RefreshMode[] = ['json', 'cookie', 'sliding']

export interface AuthConfig {
  refresh_mode: RefreshMode
  /** Strict rotation: a rotated refresh token presented again revokes its whole family. */
  reuse_detection: boolean
  /** Sliding mode: how long after its `exp` an access token may still be traded for a new one. */
  sliding_window_seconds: number
  access_ttl_seconds: number
  refresh_ttl_seconds: number
  latency_ms: number
  /** A rotated refresh token presented again within this many seconds is not reuse. */
  reuse_grace_seconds: number
}

/** The auth backend's settings until options or `configure` change them. */
export const DEFAULT_AUTH_CONFIG: Readonly<AuthConfig> = {
  refresh_mode: 'json',
  reuse_detection: true,
  sliding_window_seconds: 3_600,
  access_ttl_seconds: 300,
  refresh_ttl_seconds: 86_400,
  latency_ms: 0,
  reuse_grace_seconds: 0,
}

export interface AuthCounters {
  /** Successful sign-ins. */
  logins: number
  /** Every refresh received, answered or not. */
  refreshes: number
  /** Refreshes refused with a 4xx: invalid, expired, revoked, reused, a simulated 401. */
  refreshes_rejected: number
  /** Refreshes that failed with a 5xx or a dropped connection (simulated `500` and `network`). */
  refreshes_failed: number
  reuse_detected: number
  /** 401 answers sent. */
  unauthorized: number
  /** Every request the instance's routes (and `withAuth` handlers) answered. */
  requests: number
}

export interface PasswordHash {
  algorithm: 'PBKDF2-SHA256'
  iterations: number
  salt: string
  hash: string
}

export interface AuthUserRecord {
  id: string
  email: string
  username: string
  name: string
  role: string
  permissions: string[]
  password: PasswordHash
  created_at: number
}

/** A login's chain of refresh tokens; revoking it ends every token of that session. */
export interface FamilyRecord {
  id: string
  user_id: string
  created_at: number
  /** The refresh token currently valid in this family (the head of the chain). */
  head: string
  expires_at: number
  revoked_at: number | null
  revoked_reason: 'logout' | 'reuse' | 'revoke_sessions' | null
}

export interface RefreshTokenRecord {
  family_id: string
  issued_at: number
  expires_at: number
  rotated_at: number | null
}

export interface AuthState {
  created_at: number
  /** HS256 key (base64url); a reset draws a new one unless the instance was given one. */
  signing_key: string
  config: AuthConfig
  counters: AuthCounters
  /** Added to the real clock: the `advance_clock_seconds` scenario moves the mock's time. */
  clock_offset_ms: number
  users: AuthUserRecord[]
  families: Record<string, FamilyRecord>
  refresh_tokens: Record<string, RefreshTokenRecord>
  /** Rotated refresh tokens still kept for reuse detection, oldest rotation first. */
  spent_refresh_tokens: string[]
  /** Revoked access-token jtis and their `exp` (s), kept until they would expire anyway. */
  revoked_jtis: Record<string, number>
  /** Every access token carries its sequence number in its jti (`<seq>.<random>`). */
  token_seq: number
  /** Access tokens with a sequence number up to this one count as expired. */
  expired_through_seq: number
  fail_next_refresh: { count: number; status: FailRefreshStatus } | null
  /** Failed logins per identity (lower-cased email or username): times in ms. */
  login_failures: Record<string, number[]>
  last_prune_at: number
}

/** What the API shows of a user: the record without its password hash, times as ISO strings. */
export type PublicUser = Omit<AuthUserRecord, 'password' | 'created_at'> & { created_at: string }

export function toPublicUser(user: AuthUserRecord): PublicUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    name: user.name,
    role: user.role,
    permissions: [...user.permissions],
    created_at: new Date(user.created_at).toISOString(),
  }
}
