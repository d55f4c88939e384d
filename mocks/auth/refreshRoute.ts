import { HttpResponse } from 'msw'
import { HttpError, readJsonObject, validationError } from '../httpErrors'
import { clearRefreshCookie, readRefreshCookie } from '../refreshCookie'
import { rotateRefreshToken } from '../sessions'
import type { AuthRuntime } from './authRuntime'
import type { RouteInfo, RouteResolver } from './createRoutes'
import { slidingRefresh } from './slidingRefresh'
import { countRefreshError, takeRefreshFailure } from './takeRefreshFailure'
import { tokenResponse } from './tokenResponse'

/** The refresh token of a `json` or `cookie` refresh; a missing one is a 422 or a 401. */
async function presentedRefreshToken(rt: AuthRuntime, info: RouteInfo): Promise<string> {
  if (rt.store.read().config.refresh_mode === 'cookie') {
    const token = readRefreshCookie(info.request, info.cookies)
    if (!token) throw new HttpError(401, 'No refresh token cookie: sign in')
    return token
  }
  const token = (await readJsonObject(info.request)).refresh_token
  if (typeof token !== 'string' || token === '') {
    throw validationError([{ field: 'refresh_token', message: 'is required' }])
  }
  return token
}

/**
 * The refresh of every mode: counts it, plays a pending `fail_next_refresh`, then rotates the
 * refresh token (json, cookie) or slides the access token (sliding).
 */
export function createRefreshRoute(rt: AuthRuntime): RouteResolver {
  const { store } = rt
  return async (info) => {
    store.update((state) => {
      state.counters.refreshes += 1
    })
    const mode = store.read().config.refresh_mode
    try {
      const token = mode === 'sliding' ? null : await presentedRefreshToken(rt, info)
      const simulated = takeRefreshFailure(store)
      if (simulated === 'network') return HttpResponse.error()
      if (simulated === 500)
        throw new HttpError(500, 'Refresh failed: simulated server error (mock scenario)')
      if (simulated === 401) throw new HttpError(401, 'Refresh token rejected (mock scenario)')
      if (token === null) return await slidingRefresh(rt, info.request)

      const rotated = store.update((state, now) => rotateRefreshToken(state, token, now))
      if (!rotated.ok) throw new HttpError(401, rotated.detail)
      return await tokenResponse(rt, rotated.user, rotated.familyId, rotated.refreshToken)
    } catch (error) {
      // A 4xx refuses the refresh token (the client's session ends); a 5xx is a failure it retries.
      const failed = error instanceof HttpError && error.status >= 500
      countRefreshError(store, failed)
      if (mode === 'cookie' && error instanceof HttpError && !failed) {
        error.headers['Set-Cookie'] = clearRefreshCookie(rt.cookiePath)
      }
      throw error
    }
  }
}
