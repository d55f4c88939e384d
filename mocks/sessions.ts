import type { AuthState, AuthUserRecord } from './auth/authModel'
import { getOwn } from './ownEntry'
import { randomId, randomToken } from './random'

/**
 * How many rotated refresh tokens are kept, across all families, to recognise reuse. A token
 * rotated longer ago than that answers "Invalid refresh token" (still a 401) instead of
 * revoking its family: reuse that matters comes within seconds, from a racing tab or a thief.
 */
export const MAX_SPENT_REFRESH_TOKENS = 1_000

export type RotateResult =
  | { ok: true; user: AuthUserRecord; familyId: string; refreshToken: string; graced: boolean }
  | { ok: false; detail: string; reuse: boolean }

function issueRefreshToken(state: AuthState, familyId: string, now: number): string {
  const token = randomToken(32)
  const expiresAt = now + state.config.refresh_ttl_seconds * 1000
  state.refresh_tokens[token] = {
    family_id: familyId,
    issued_at: now,
    expires_at: expiresAt,
    rotated_at: null,
  }
  const family = state.families[familyId]!
  family.head = token
  family.expires_at = Math.max(family.expires_at, expiresAt)
  return token
}

/** A login: a new refresh-token family with its first token. */
export function startFamily(
  state: AuthState,
  userId: string,
  now: number,
): { familyId: string; refreshToken: string } {
  const familyId = randomId('fam', 8)
  state.families[familyId] = {
    id: familyId,
    user_id: userId,
    created_at: now,
    head: '',
    expires_at: now,
    revoked_at: null,
    revoked_reason: null,
  }
  return { familyId, refreshToken: issueRefreshToken(state, familyId, now) }
}

export function revokeFamily(
  state: AuthState,
  familyId: string,
  reason: 'logout' | 'reuse' | 'revoke_sessions',
  now: number,
): void {
  const family = getOwn(state.families, familyId)
  if (family && family.revoked_at === null) {
    family.revoked_at = now
    family.revoked_reason = reason
  }
}

/**
 * Spends a refresh token and issues its successor. A token already rotated is reuse, which
 * revokes the whole family, unless it comes back within `reuse_grace_seconds`: then the
 * family's current token is handed out again, so two racing tabs end up holding the same one.
 * Without `reuse_detection` a rotated token is only refused; its family lives on.
 */
export function rotateRefreshToken(state: AuthState, token: string, now: number): RotateResult {
  const record = getOwn(state.refresh_tokens, token)
  const family = record ? getOwn(state.families, record.family_id) : undefined
  if (!record || !family) return { ok: false, detail: 'Invalid refresh token', reuse: false }
  if (family.revoked_at !== null)
    return { ok: false, detail: 'Refresh token revoked', reuse: false }
  if (record.expires_at <= now) return { ok: false, detail: 'Refresh token expired', reuse: false }
  const user = state.users.find((u) => u.id === family.user_id)
  if (!user) return { ok: false, detail: 'Invalid refresh token', reuse: false }

  if (record.rotated_at !== null) {
    const graceMs = state.config.reuse_grace_seconds * 1000
    const head = getOwn(state.refresh_tokens, family.head)
    if (graceMs > 0 && now - record.rotated_at <= graceMs && head && head.expires_at > now) {
      return { ok: true, user, familyId: family.id, refreshToken: family.head, graced: true }
    }
    if (!state.config.reuse_detection) {
      return { ok: false, detail: 'Refresh token already used', reuse: false }
    }
    revokeFamily(state, family.id, 'reuse', now)
    state.counters.reuse_detected += 1
    return { ok: false, detail: 'Refresh token reuse detected: session revoked', reuse: true }
  }

  record.rotated_at = now
  rememberSpent(state, token)
  const refreshToken = issueRefreshToken(state, family.id, now)
  return { ok: true, user, familyId: family.id, refreshToken, graced: false }
}

function rememberSpent(state: AuthState, token: string): void {
  const spent = state.spent_refresh_tokens
  spent.push(token)
  if (spent.length > MAX_SPENT_REFRESH_TOKENS) {
    for (const old of spent.splice(0, spent.length - MAX_SPENT_REFRESH_TOKENS)) {
      delete state.refresh_tokens[old]
    }
  }
}

/**
 * Drops the spent tokens reuse detection no longer needs: those past their own expiry (expiry
 * is checked before reuse) and those of a revoked or forgotten family (already refused).
 */
export function forgetSpentTokens(state: AuthState, now: number): void {
  state.spent_refresh_tokens = state.spent_refresh_tokens.filter((token) => {
    const record = getOwn(state.refresh_tokens, token)
    const family = record ? getOwn(state.families, record.family_id) : undefined
    const needed = !!record && !!family && family.revoked_at === null && record.expires_at > now
    if (!needed) delete state.refresh_tokens[token]
    return needed
  })
}
