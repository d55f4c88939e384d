import { HttpResponse } from 'msw'
import { HttpError, readJsonObject } from '../httpErrors'
import { getOwn, setOwn } from '../ownEntry'
import { clearRefreshCookie, readRefreshCookie } from '../refreshCookie'
import { revokeFamily } from '../sessions'
import { verifyAccessToken } from '../tokens'
import type { AuthRuntime } from './authRuntime'
import { bearerToken } from './createAuthenticator'
import type { RouteResolver } from './createRoutes'

/**
 * Revokes the access token's jti and its family, and the family of `refresh_token` if given.
 * An expired access token still identifies its session here, so signing out never fails
 * just because the tab slept.
 */
export function createLogoutRoute(rt: AuthRuntime): RouteResolver {
  const { store } = rt
  return async ({ request, cookies }) => {
    const body = await readJsonObject(request)
    const cookieMode = store.read().config.refresh_mode === 'cookie'
    const refreshToken = cookieMode
      ? readRefreshCookie(request, cookies)
      : typeof body.refresh_token === 'string'
        ? body.refresh_token
        : null
    const token = bearerToken(request)
    let authError: unknown = null
    let claims: { jti: string; sid: string; exp: number } | null = null
    try {
      claims = (await rt.authenticate(request)).claims
    } catch (error) {
      authError = error
      if (token) {
        const result = await verifyAccessToken(token, store.read().signing_key, 0)
        if (result.ok) claims = result.claims
      }
    }
    const revoked = store.update((state, now) => {
      let count = 0
      if (claims) {
        setOwn(state.revoked_jtis, claims.jti, claims.exp)
        revokeFamily(state, claims.sid, 'logout', now)
        count += 1
      }
      const record = refreshToken ? getOwn(state.refresh_tokens, refreshToken) : undefined
      if (record) {
        revokeFamily(state, record.family_id, 'logout', now)
        count += 1
      }
      return count
    })
    const headers: Record<string, string> = cookieMode
      ? { 'Set-Cookie': clearRefreshCookie(rt.cookiePath) }
      : {}
    if (revoked === 0) {
      const error = authError ?? new HttpError(401, 'Not authenticated')
      if (error instanceof HttpError) Object.assign(error.headers, headers)
      throw error
    }
    return HttpResponse.json({ detail: 'Signed out' }, { headers })
  }
}
