import { describe, expect, it } from 'vitest'
import {
  bearerOf,
  decodeClaims,
  seeToken,
  tokenFingerprint,
  tokensIn,
} from '../../../src/extension/decodeBearer'
import { jwt } from './jwt'

const token = jwt({ sub: '1', email: 'ada@etl.local', iat: 1000, exp: 1300 })

describe('decodeBearer', () => {
  it('finds the Bearer token whatever the header name case, and nothing else', () => {
    expect(bearerOf({ authorization: `Bearer ${token}` })).toBe(token)
    expect(bearerOf({ Authorization: `bearer ${token}` })).toBe(token)
    expect(bearerOf({ Authorization: 'Basic dXNlcjpwYXNz' })).toBeNull()
    expect(bearerOf({ Accept: 'application/json' })).toBeNull()
  })

  it('decodes the payload claims, and refuses what is not a JWT', () => {
    expect(decodeClaims(token)).toEqual({ sub: '1', email: 'ada@etl.local', iat: 1000, exp: 1300 })
    expect(decodeClaims('opaque-token')).toBeNull()
    expect(decodeClaims('a.!!!.c')).toBeNull()
  })

  it('keeps of a token its claims, a masked form and a fingerprint: never the token or its signature', () => {
    const seen = seeToken(token)
    const kept = JSON.stringify(seen)
    expect(kept).not.toContain(token)
    expect(kept).not.toContain('c2lnbmF0dXJlLXNlY3JldA')
    expect(seen.masked).toMatch(/^eyJhbG…/)
    expect(seen.claims?.email).toBe('ada@etl.local')
    expect(seen.fingerprint).toBe(tokenFingerprint(token))
    expect(tokenFingerprint(jwt({ sub: '2' }))).not.toBe(seen.fingerprint)
  })

  it('finds the tokens an answer carries, as fingerprints', () => {
    const fresh = jwt({ sub: '1', iat: 1300, exp: 1600 })
    const body = JSON.stringify({
      access_token: fresh,
      refresh_token: 'opaque',
      token_type: 'bearer',
    })
    expect(tokensIn(body)).toEqual([tokenFingerprint(fresh)])
    expect(tokensIn('{"items":[],"total":0}')).toEqual([])
  })
})
