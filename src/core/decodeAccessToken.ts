import { jwtDecode } from 'jwt-decode'
import { InvalidTokenError } from './errors'
import type { AccessTokenClaims } from './types'

export interface DecodedAccessToken {
  claims: AccessTokenClaims
  /** Local epoch ms: arrival time plus the token's own lifetime. */
  expiresAt: number
  lifetimeMs: number
}

// The last moment a JavaScript Date can represent.
const MAX_DATE_MS = 8.64e15

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value)

/**
 * Reads a JWT's claims and measures its expiry on the local clock: the lifetime is `exp - iat`,
 * else `expiresIn`, counted from `arrivedAt`, so a client clock that is off changes nothing.
 * Only a token with `exp` and neither `iat` nor `expiresIn` depends on the local clock (and is
 * clamped at zero life when that clock is ahead).
 * The signature is never verified: that is the server's job.
 */
export function decodeAccessToken(
  token: unknown,
  expiresIn: number | undefined,
  arrivedAt: number,
): DecodedAccessToken {
  if (typeof token !== 'string' || !token) {
    throw new InvalidTokenError(
      'The access token is missing or not a string: pass the JWT the server issued as `accessToken`.',
    )
  }
  let claims: AccessTokenClaims
  try {
    claims = jwtDecode<AccessTokenClaims>(token)
  } catch (error) {
    throw new InvalidTokenError(
      'The access token is not a readable JWT (three base64url parts, the second a JSON object of claims): pass it exactly as the server issued it.',
      { cause: error },
    )
  }
  if (typeof claims !== 'object' || claims === null) {
    throw new InvalidTokenError('The access token holds no JSON object of claims.')
  }
  const { exp, iat } = claims
  if (exp !== undefined && !isNumber(exp)) {
    throw new InvalidTokenError(
      'The access token has an `exp` claim that is not a number of seconds, so its expiry is unknown.',
    )
  }
  let lifetimeMs: number
  if (isNumber(exp) && isNumber(iat)) {
    lifetimeMs = (exp - iat) * 1000
    if (lifetimeMs <= 0) {
      throw new InvalidTokenError(
        'The access token expires before it was issued (`exp` <= `iat`); check the server that signs it.',
      )
    }
  } else if (isNumber(expiresIn) && expiresIn > 0) {
    lifetimeMs = expiresIn * 1000
  } else if (isNumber(exp)) {
    lifetimeMs = Math.max(0, exp * 1000 - arrivedAt)
  } else {
    throw new InvalidTokenError(
      'The access token has no `exp` claim and the response no `expires_in`, so its expiry is unknown: add one of them on the server.',
    )
  }
  // `exp` and `iat` are whole seconds and the answer took time to arrive, so the token really
  // expires up to a second before `arrivedAt + lifetime`: count it expired that much earlier.
  const expiresAt = arrivedAt + lifetimeMs - Math.min(1000, lifetimeMs / 10)
  if (!(expiresAt <= MAX_DATE_MS)) {
    throw new InvalidTokenError(
      'The access token expires beyond what a Date can hold (`exp` or `expires_in` is absurdly large): check the server that issues it.',
    )
  }
  return { claims, expiresAt, lifetimeMs }
}
