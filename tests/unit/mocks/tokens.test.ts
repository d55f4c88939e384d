import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createInitialState } from '../../../mocks/db'
import type { PasswordHash } from '../../../mocks/model'
import { fromBase64Url } from '../../../mocks/random'
import {
  jtiSequence,
  mintAccessClaims,
  signAccessToken,
  verifyAccessToken,
} from '../../../mocks/tokens'

const hash: PasswordHash = { algorithm: 'PBKDF2-SHA256', iterations: 1, salt: 'AA', hash: 'AA' }
const T0 = Date.UTC(2026, 0, 1, 9)

function issue(ttl = 300) {
  const state = createInitialState([hash, hash], T0)
  state.config.access_ttl_seconds = ttl
  const claims = mintAccessClaims(state, state.users[0]!, 'fam_1', T0)
  return { state, claims, key: state.signing_key }
}

describe('access tokens', () => {
  it('carries the contract claims and a lifetime of access_ttl_seconds', async () => {
    const { claims, key } = issue(120)
    const token = await signAccessToken(claims, key)
    const result = await verifyAccessToken(token, key, T0 + 1000)
    expect(result).toEqual({ ok: true, claims: expect.objectContaining(claims) })
    expect(claims).toMatchObject({ sub: 'usr_admin', role: 'admin', sid: 'fam_1', iat: T0 / 1000 })
    expect(claims.exp - claims.iat).toBe(120)
  })

  it('expires exactly at exp on the clock it is given', async () => {
    const { claims, key } = issue(60)
    const token = await signAccessToken(claims, key)
    expect((await verifyAccessToken(token, key, T0 + 59_999)).ok).toBe(true)
    expect(await verifyAccessToken(token, key, T0 + 60_000)).toEqual({
      ok: false,
      detail: 'Token expired',
    })
  })

  it('numbers its jti so expire_access_tokens can cut by issue order', () => {
    const { state } = issue()
    const second = mintAccessClaims(state, state.users[1]!, 'fam_2', T0)
    expect(jtiSequence(second.jti)).toBe(2)
    expect(jtiSequence('no-sequence')).toBe(0)
  })

  it('refuses another key, another algorithm, alg none and garbage with their own details', async () => {
    const { claims, key } = issue()
    const other = issue().key
    const token = await signAccessToken(claims, key)
    expect(await verifyAccessToken(token, other, T0)).toEqual({
      ok: false,
      detail: 'Invalid token: signature verification failed',
    })
    const hs512 = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(fromBase64Url(key))
    expect(await verifyAccessToken(hs512, key, T0)).toEqual({
      ok: false,
      detail: 'Invalid token: unsupported algorithm (only HS256 is accepted)',
    })
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`
    expect((await verifyAccessToken(none, key, T0)) as unknown).toEqual({
      ok: false,
      detail: 'Invalid token: unsupported algorithm none',
    })
    for (const garbage of ['', 'x', 'a.b.c', `${token}.extra`]) {
      expect(await verifyAccessToken(garbage, key, T0)).toEqual({
        ok: false,
        detail: 'Invalid token: malformed',
      })
    }
  })

  it('refuses a token without the claims it relies on', async () => {
    const { key } = issue()
    const bare = await new SignJWT({ sub: 'usr_admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(fromBase64Url(key))
    const result = await verifyAccessToken(bare, key, T0)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.detail).toMatch(/^Invalid token: missing required "\w+" claim/)
  })
})
