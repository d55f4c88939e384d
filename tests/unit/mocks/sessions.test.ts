import { beforeEach, describe, expect, it } from 'vitest'
import { createInitialState, pruneState } from '../../../mocks/db'
import type { MockState, PasswordHash } from '../../../mocks/model'
import {
  MAX_SPENT_REFRESH_TOKENS,
  revokeFamily,
  rotateRefreshToken,
  startFamily,
} from '../../../mocks/sessions'

const hash: PasswordHash = { algorithm: 'PBKDF2-SHA256', iterations: 1, salt: 'AA', hash: 'AA' }
const T0 = Date.UTC(2026, 0, 1, 9)

describe('refresh-token families', () => {
  let state: MockState
  beforeEach(() => {
    state = createInitialState([hash, hash], T0)
  })

  it('rotates: the successor is the family head and the old token is spent', () => {
    const { familyId, refreshToken } = startFamily(state, 'usr_admin', T0)
    const next = rotateRefreshToken(state, refreshToken, T0 + 1000)
    expect(next).toMatchObject({ ok: true, familyId, graced: false })
    if (!next.ok) return
    expect(next.refreshToken).not.toBe(refreshToken)
    expect(state.families[familyId]!.head).toBe(next.refreshToken)
    expect(state.refresh_tokens[refreshToken]!.rotated_at).toBe(T0 + 1000)
    expect(next.user.email).toBe('admin@etl.local')
  })

  it('revokes the whole family when a rotated token comes back', () => {
    const { familyId, refreshToken } = startFamily(state, 'usr_admin', T0)
    const next = rotateRefreshToken(state, refreshToken, T0 + 1000)
    const reuse = rotateRefreshToken(state, refreshToken, T0 + 2000)
    expect(reuse).toEqual({
      ok: false,
      detail: 'Refresh token reuse detected: session revoked',
      reuse: true,
    })
    expect(state.families[familyId]).toMatchObject({
      revoked_at: T0 + 2000,
      revoked_reason: 'reuse',
    })
    expect(state.counters.reuse_detected).toBe(1)
    if (!next.ok) throw new Error('rotation failed')
    expect(rotateRefreshToken(state, next.refreshToken, T0 + 3000)).toMatchObject({
      ok: false,
      detail: 'Refresh token revoked',
    })
  })

  it('within the grace window hands back the current head without rotating again', () => {
    state.config.reuse_grace_seconds = 5
    const { refreshToken } = startFamily(state, 'usr_admin', T0)
    const next = rotateRefreshToken(state, refreshToken, T0)
    const raced = rotateRefreshToken(state, refreshToken, T0 + 5000)
    expect(raced).toMatchObject({ ok: true, graced: true })
    if (!next.ok || !raced.ok) throw new Error('rotation failed')
    expect(raced.refreshToken).toBe(next.refreshToken)
    expect(Object.keys(state.refresh_tokens)).toHaveLength(2)
    expect(rotateRefreshToken(state, refreshToken, T0 + 5001)).toMatchObject({ reuse: true })
  })

  it('expires a refresh token after refresh_ttl_seconds, counted from its own issue', () => {
    state.config.refresh_ttl_seconds = 60
    const { refreshToken } = startFamily(state, 'usr_admin', T0)
    const next = rotateRefreshToken(state, refreshToken, T0 + 59_000)
    if (!next.ok) throw new Error('rotation failed')
    expect(rotateRefreshToken(state, next.refreshToken, T0 + 59_000 + 60_000)).toMatchObject({
      ok: false,
      detail: 'Refresh token expired',
    })
  })

  it('keeps other families alive when one is revoked', () => {
    const a = startFamily(state, 'usr_admin', T0)
    const b = startFamily(state, 'usr_admin', T0)
    revokeFamily(state, a.familyId, 'logout', T0)
    expect(rotateRefreshToken(state, a.refreshToken, T0)).toMatchObject({ ok: false })
    expect(rotateRefreshToken(state, b.refreshToken, T0)).toMatchObject({ ok: true })
  })

  it('refuses a token it never issued', () => {
    expect(rotateRefreshToken(state, 'made-up', T0)).toEqual({
      ok: false,
      detail: 'Invalid refresh token',
      reuse: false,
    })
  })

  /** Rotates `times` times, returning every token the family used, the first one first. */
  function rotations(start: string, times: number, at: number): string[] {
    const chain = [start]
    for (let i = 0; i < times; i++) {
      const next = rotateRefreshToken(state, chain[chain.length - 1]!, at)
      if (!next.ok) throw new Error(`rotation ${i} failed: ${next.detail}`)
      chain.push(next.refreshToken)
    }
    return chain
  }

  it('keeps a bounded number of spent tokens however many rotations: 20 000 keep 1 001 records', () => {
    const { refreshToken } = startFamily(state, 'usr_admin', T0)
    const chain = rotations(refreshToken, 20_000, T0 + 1000)

    expect(Object.keys(state.refresh_tokens)).toHaveLength(MAX_SPENT_REFRESH_TOKENS + 1)
    expect(state.spent_refresh_tokens).toHaveLength(MAX_SPENT_REFRESH_TOKENS)
    // The oldest are forgotten (refused, the family untouched); a recent one is still reuse.
    expect(rotateRefreshToken(state, chain[0]!, T0 + 2000)).toMatchObject({
      ok: false,
      detail: 'Invalid refresh token',
      reuse: false,
    })
    const recent = chain[chain.length - MAX_SPENT_REFRESH_TOKENS - 1]!
    expect(rotateRefreshToken(state, recent, T0 + 2000)).toMatchObject({ reuse: true })
    expect(state.counters.reuse_detected).toBe(1)
  })

  it('forgets, at the next prune, spent tokens of revoked families and spent tokens past expiry', () => {
    state.config.refresh_ttl_seconds = 3_600
    const revoked = startFamily(state, 'usr_admin', T0)
    const live = startFamily(state, 'usr_admin', T0)
    rotations(revoked.refreshToken, 3, T0)
    const old = rotations(live.refreshToken, 2, T0)
    const recent = rotations(old[old.length - 1]!, 2, T0 + 3_000_000)
    revokeFamily(state, revoked.familyId, 'logout', T0)

    pruneState(state, T0 + 3_700_000)

    // Left: the one spent token issued at T0 + 50 min (those issued at T0 expired at T0 + 60
    // min), and the two heads: spent tokens go, a head stays to answer "expired" or "revoked".
    expect(state.spent_refresh_tokens).toEqual([recent[1]])
    expect(Object.keys(state.refresh_tokens).sort()).toEqual(
      [recent[1], recent[2], state.families[revoked.familyId]!.head].sort(),
    )
    expect(rotateRefreshToken(state, recent[1]!, T0 + 3_700_000)).toMatchObject({ reuse: true })
  })
})
