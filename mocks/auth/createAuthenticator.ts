import { HttpError } from '../httpErrors'
import { getOwn } from '../ownEntry'
import { jtiSequence, verifyAccessToken, type AccessClaims } from '../tokens'
import type { AuthState, AuthUserRecord } from './authModel'
import type { StateStore } from './createStateStore'
import type { RouteInfo, RouteResolver } from './createRoutes'

export interface AuthContext {
  user: AuthUserRecord
  claims: AccessClaims
}

export type AuthedResolver = (info: RouteInfo & { auth: AuthContext }) => Promise<Response>

export interface Authenticator {
  /**
   * Who is calling: throws the contract's 401 for a missing, malformed, tampered, `alg: none`,
   * expired or revoked token. Runs inside the caller's transaction.
   */
  authenticate(request: Request): Promise<AuthContext>
  /** The 401/403 logic in one place: the resolver runs only for a valid, permitted caller. */
  withAuth(resolver: AuthedResolver, options?: { permission?: string }): RouteResolver
}

function unauthorized(detail: string): HttpError {
  // Details are fixed texts; the replace keeps a future one from breaking the header's syntax.
  const description = detail.replace(/"/g, "'").replace(/[^\x20-\x7e]/g, '?')
  return new HttpError(401, detail, {
    headers: {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"`,
    },
  })
}

export function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization') ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match ? match[1]! : null
}

export function requirePermission(auth: AuthContext, permission: string): void {
  if (!auth.user.permissions.includes(permission)) {
    throw new HttpError(403, `Missing permission: ${permission}`, {
      headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${permission}"` },
    })
  }
}

export function createAuthenticator(store: StateStore<AuthState>): Authenticator {
  async function authenticate(request: Request): Promise<AuthContext> {
    const token = bearerToken(request)
    if (!token) {
      throw new HttpError(401, 'Not authenticated', {
        headers: { 'WWW-Authenticate': 'Bearer realm="api"' },
      })
    }
    const { signing_key: key } = store.read()
    const result = await verifyAccessToken(token, key, store.now())
    if (!result.ok) throw unauthorized(result.detail)
    const { claims } = result
    // Read again after the await: another tab may have revoked or expired tokens meanwhile.
    const state = store.read()
    if (state.signing_key !== key) {
      throw unauthorized('Invalid token: signature verification failed')
    }
    if (jtiSequence(claims.jti) <= state.expired_through_seq) throw unauthorized('Token expired')
    const family = getOwn(state.families, claims.sid)
    if (Object.hasOwn(state.revoked_jtis, claims.jti) || !family || family.revoked_at !== null) {
      throw unauthorized('Token revoked')
    }
    const user = state.users.find((u) => u.id === claims.sub)
    if (!user) throw unauthorized('Token revoked')
    return { user, claims }
  }

  return {
    authenticate,
    withAuth: (resolver, options = {}) => {
      return async (info) => {
        const auth = await authenticate(info.request)
        if (options.permission) requirePermission(auth, options.permission)
        return resolver({ ...info, auth })
      }
    },
  }
}
