import { jwtDecode } from 'jwt-decode'
import { InvalidTokenError } from './errors'
import type { AccessTokenClaims } from './types'

export interface DecodedAccessToken {
  /** The JWT's claims; empty for an opaque token. */
  claims: AccessTokenClaims
  /** Local epoch ms: arrival time plus the token's own lifetime. */
  expiresAt: number
  lifetimeMs: number
  /** True for a token that is not a JWT, whose expiry comes from `expires_in` alone. */
  opaque: boolean
}

// The last moment a JavaScript Date can represent.
const MAX_DATE_MS = 8.64e15

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value)

/** The JWT's claims object, or null for a token that is not a JWT (an opaque token). */
function readClaims(token: string): { claims: AccessTokenClaims | null; error?: unknown } {
  try {
    const claims: unknown = jwtDecode(token)
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? { claims: claims as AccessTokenClaims }
      : { claims: null }
  } catch (error) {
    return { claims: null, error }
  }
}

/**
 * Reads a JWT's claims and measures its expiry on the local clock: the lifetime is `exp - iat`,
 * else `expiresIn`, counted from `arrivedAt`, so a client clock that is off changes nothing.
 * Only a token with `exp` and neither `iat` nor `expiresIn` depends on the local clock (and is
 * clamped at zero life when that clock is ahead). A token that is not a JWT (an opaque token) is
 * accepted with `expiresIn`, with no claims. The signature is never verified: that is the server's job.
 */
export function decodeAccessToken(
  token: unknown,
  expiresIn: number | undefined,
  arrivedAt: number,
): DecodedAccessToken {
  if (typeof token !== 'string' || !token) {
    throw new InvalidTokenError(
      'The access token is missing or not a string: pass the token the server issued as `accessToken`.',
    )
  }
  const read = readClaims(token)
  if (read.claims === null) {
    if (isNumber(expiresIn) && expiresIn > 0) {
      return measure({}, expiresIn * 1000, arrivedAt, true)
    }
    throw new InvalidTokenError(
      'The access token is not a readable JWT and the response has no `expires_in`, so its expiry is unknown: for an opaque access token, have the server return `expires_in` (RFC 6749 section 5.1) and pass it as `expiresIn`; for a JWT, pass it exactly as the server issued it.',
      { cause: read.error },
    )
  }
  const { claims } = read
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
  return measure(claims, lifetimeMs, arrivedAt, false)
}

function measure(
  claims: AccessTokenClaims,
  lifetimeMs: number,
  arrivedAt: number,
  opaque: boolean,
): DecodedAccessToken {
  // `exp` and `iat` are whole seconds and the answer took time to arrive, so the token really
  // expires up to a second before `arrivedAt + lifetime`: count it expired that much earlier.
  const expiresAt = arrivedAt + lifetimeMs - Math.min(1000, lifetimeMs / 10)
  if (!(expiresAt <= MAX_DATE_MS)) {
    throw new InvalidTokenError(
      'The access token expires beyond what a Date can hold (`exp` or `expires_in` is absurdly large): check the server that issues it.',
    )
  }
  return { claims, expiresAt, lifetimeMs, opaque }
}
