import type { AccessClaims } from '../tokens'
import { HttpError } from '../httpErrors'
import { toPublicUser, type AuthState, type PublicUser } from './authModel'
import { requirePermission, type Authenticator } from './createAuthenticator'
import type { RouteInfo, RouteResolver, Routes } from './createRoutes'
import type { StateStore } from './createStateStore'

/** The caller of a request: the user (no password hash) and the claims of their access token. */
export interface AuthIdentity {
  user: PublicUser
  claims: AccessClaims
}

export type AuthResult =
  | ({ ok: true } & AuthIdentity)
  | {
      ok: false
      status: 401
      detail: string
      /** The contract's 401, with its `WWW-Authenticate`: return it from your handler. */
      response: Response
    }

export type AuthedHandler = (
  info: RouteInfo & { auth: AuthIdentity },
) => Response | Promise<Response>

export interface PublicAuth {
  /** Checks the request's Bearer token against this instance: signature, expiry, revocation. */
  authenticate(request: Request): Promise<AuthResult>
  /**
   * A resolver for your own protected route: 401 without a valid token of this instance, 403
   * without `permission`, else yours runs with `auth`. Counted and delayed like the instance's own.
   */
  withAuth(resolver: AuthedHandler, permission?: string): RouteResolver
}

export function createPublicAuth(
  store: StateStore<AuthState>,
  routes: Routes,
  authenticator: Authenticator,
): PublicAuth {
  return {
    authenticate: (request) =>
      store.transaction(async () => {
        try {
          const { user, claims } = await authenticator.authenticate(request)
          return { ok: true, user: toPublicUser(user), claims }
        } catch (error) {
          if (!(error instanceof HttpError) || error.status !== 401) throw error
          return { ok: false, status: 401, detail: error.message, response: error.toResponse() }
        }
      }),
    withAuth: (resolver, permission) =>
      routes.apiRoute(async (info) => {
        const auth = await authenticator.authenticate(info.request)
        if (permission) requirePermission(auth, permission)
        return resolver({ ...info, auth: { user: toPublicUser(auth.user), claims: auth.claims } })
      }),
  }
}
