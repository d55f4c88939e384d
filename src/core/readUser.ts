import { jwtDecode } from 'jwt-decode'
import { InvalidOptionError, InvalidTokenError } from './errors'
import type { AccessTokenClaims, UserSource } from './types'

const SOURCES = new Set<unknown>(['access-token', 'id-token', 'none'])

/** Refuses a `user` option the session cannot use, when the session is created. */
export function checkUserSource(source: unknown): UserSource {
  if (source === undefined) return 'access-token'
  if (SOURCES.has(source) || typeof source === 'function') return source as UserSource
  throw new InvalidOptionError(
    `The \`user\` option is ${JSON.stringify(source)}: pass 'access-token' (the default), 'id-token', 'none' or a function that loads the user.`,
  )
}

/** True where the user cannot be read again from the access token, so it is stored with it. */
export const storesUser = (source: UserSource) => source !== 'access-token'

function readIdToken(idToken: unknown): AccessTokenClaims | null {
  if (typeof idToken !== 'string' || !idToken) return null
  try {
    const claims: unknown = jwtDecode(idToken)
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as AccessTokenClaims)
      : null
  } catch {
    return null
  }
}

/**
 * The user a token answer brings, per `source`. A refresh answer that brings none keeps
 * `previous`; a sign-in without the ID token that `'id-token'` reads is refused, because the
 * session would otherwise run with no user and nothing would say why.
 */
export function readUser(
  source: UserSource,
  answer: { claims: AccessTokenClaims; opaque: boolean; idToken?: string | undefined },
  previous: AccessTokenClaims | null,
  signIn: boolean,
): AccessTokenClaims | null {
  if (source === 'access-token') return answer.opaque ? null : answer.claims
  if (source === 'none') return null
  if (source === 'id-token') {
    const claims = readIdToken(answer.idToken)
    if (claims || !signIn) return claims ?? previous
    throw new InvalidTokenError(
      answer.idToken === undefined
        ? "The session reads its user from the ID token (`user: 'id-token'`), and setTokens got no `idToken`: request the `openid` scope and pass the token response's `id_token` as `idToken`."
        : "The `idToken` passed to setTokens is not a readable JWT, so the session (`user: 'id-token'`) has no user: pass the token response's `id_token` exactly as the server issued it.",
    )
  }
  // A loader is called after sign-in, not here; a refresh keeps what it returned.
  return signIn ? null : previous
}
