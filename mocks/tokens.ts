import { jwtVerify, SignJWT } from 'jose'
import type { AuthState, AuthUserRecord } from './auth/authModel'
import { fromBase64Url, randomToken } from './random'

export interface AccessClaims {
  sub: string
  user_id: string
  username: string
  email: string
  name: string
  role: string
  permissions: string[]
  /** The refresh-token family (session) the token belongs to. */
  sid: string
  iat: number
  exp: number
  jti: string
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; detail: string }

const keys = new Map<string, Uint8Array>()

function keyBytes(signingKey: string): Uint8Array {
  let key = keys.get(signingKey)
  if (!key) {
    if (keys.size > 8) keys.clear()
    key = fromBase64Url(signingKey)
    keys.set(signingKey, key)
  }
  return key
}

/** Builds the claims of a new access token; synchronous so it runs inside `store.update`. */
export function mintAccessClaims(
  state: AuthState,
  user: AuthUserRecord,
  familyId: string,
  now: number,
): AccessClaims {
  state.token_seq += 1
  const iat = Math.floor(now / 1000)
  return {
    sub: user.id,
    user_id: user.id,
    username: user.username,
    email: user.email,
    name: user.name,
    role: user.role,
    permissions: [...user.permissions],
    sid: familyId,
    iat,
    exp: iat + state.config.access_ttl_seconds,
    jti: `${state.token_seq}.${randomToken(9)}`,
  }
}

/** The sequence number a jti carries; the `expire_access_tokens` scenario compares it. */
export function jtiSequence(jti: string): number {
  const seq = Number.parseInt(jti.split('.')[0] ?? '', 10)
  return Number.isFinite(seq) ? seq : 0
}

export function signAccessToken(claims: AccessClaims, signingKey: string): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(keyBytes(signingKey))
}

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(fromBase64Url(segment))) as unknown
  } catch {
    return undefined
  }
}

/**
 * Checks form, algorithm, signature and `exp` (against the mock's clock). Revocation and the
 * `expire_access_tokens` cutoff need the state and are checked by `withAuth`.
 */
export async function verifyAccessToken(
  token: string,
  signingKey: string,
  now: number,
): Promise<VerifyResult> {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts[0] || !parts[1]) {
    return { ok: false, detail: 'Invalid token: malformed' }
  }
  const header = decodeSegment(parts[0])
  if (!header || typeof header !== 'object' || !decodeSegment(parts[1])) {
    return { ok: false, detail: 'Invalid token: malformed' }
  }
  // The detail never quotes the header: it ends up in WWW-Authenticate, and a forged `alg` may
  // hold a CRLF or characters no header can carry.
  const alg = (header as { alg?: unknown }).alg
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') {
    return { ok: false, detail: 'Invalid token: unsupported algorithm none' }
  }
  if (alg !== 'HS256') {
    return { ok: false, detail: 'Invalid token: unsupported algorithm (only HS256 is accepted)' }
  }
  try {
    const { payload } = await jwtVerify(token, keyBytes(signingKey), {
      algorithms: ['HS256'],
      currentDate: new Date(now),
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
    })
    return { ok: true, claims: payload as unknown as AccessClaims }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ERR_JWT_EXPIRED') return { ok: false, detail: 'Token expired' }
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
      return { ok: false, detail: 'Invalid token: signature verification failed' }
    }
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      return { ok: false, detail: `Invalid token: ${(error as Error).message}` }
    }
    return { ok: false, detail: 'Invalid token: malformed' }
  }
}
