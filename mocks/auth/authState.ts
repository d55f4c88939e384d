import { setOwn } from '../ownEntry'
import { forgetSpentTokens } from '../sessions'
import type { AuthConfig, AuthState, AuthUserRecord } from './authModel'

/** A fresh instance state: its users, no sessions, the given config, zeroed counters. */
export function createAuthState(
  users: AuthUserRecord[],
  config: AuthConfig,
  signingKey: string,
  now: number,
): AuthState {
  return {
    created_at: now,
    signing_key: signingKey,
    config: { ...config },
    counters: {
      logins: 0,
      refreshes: 0,
      refreshes_rejected: 0,
      refreshes_failed: 0,
      reuse_detected: 0,
      unauthorized: 0,
      requests: 0,
    },
    clock_offset_ms: 0,
    users,
    families: {},
    refresh_tokens: {},
    spent_refresh_tokens: [],
    revoked_jtis: {},
    token_seq: 0,
    expired_through_seq: 0,
    fail_next_refresh: null,
    login_failures: {},
    last_prune_at: now,
  }
}

const PRUNE_EVERY_MS = 60_000
/** Expired refresh tokens are kept a day, so a late client hears "expired", not "invalid". */
const KEEP_EXPIRED_MS = 86_400_000

/** Drops what can no longer matter: expired refresh tokens, families, revocations, failures. */
export function pruneAuthState(state: AuthState, now: number): void {
  if (now - state.last_prune_at < PRUNE_EVERY_MS) return
  state.last_prune_at = now
  for (const [token, record] of Object.entries(state.refresh_tokens)) {
    if (record.expires_at + KEEP_EXPIRED_MS <= now) delete state.refresh_tokens[token]
  }
  for (const [id, family] of Object.entries(state.families)) {
    if (family.expires_at + KEEP_EXPIRED_MS <= now) delete state.families[id]
  }
  forgetSpentTokens(state, now)
  for (const [jti, exp] of Object.entries(state.revoked_jtis)) {
    if (exp * 1000 <= now) delete state.revoked_jtis[jti]
  }
  for (const [identity, times] of Object.entries(state.login_failures)) {
    const recent = times.filter((t) => now - t < 60_000)
    if (recent.length === 0) delete state.login_failures[identity]
    else setOwn(state.login_failures, identity, recent)
  }
}
