import { HttpResponse } from 'msw'
import { HttpError } from '../httpErrors'
import { getOwn } from '../ownEntry'
import { verifyAccessToken } from '../tokens'
import { toPublicUser } from './authModel'
import type { AuthRuntime } from './authRuntime'
import { bearerToken } from './createAuthenticator'
import { mintAccessToken } from './tokenResponse'

function refused(rt: AuthRuntime, detail: string): Response {
  rt.store.update((state) => {
    state.counters.refreshes_rejected += 1
  })
  return HttpResponse.json({ success: false, detail }, { headers: { 'Cache-Control': 'no-store' } })
}

/**
 * Seed 003's refresh: the access token as Bearer, valid or expired less than
 * `sliding_window_seconds` ago, traded for a new one of the same session, answered
 * `{success, token, user}`. A token of a revoked session, or expired longer ago, is answered
 * `{success: false}` (200, as that backend does); no token or a forged one is a 401.
 */
export async function slidingRefresh(rt: AuthRuntime, request: Request): Promise<Response> {
  const { store } = rt
  const token = bearerToken(request)
  if (!token) throw new HttpError(401, 'Not authenticated: send the access token as Bearer')
  const { signing_key: key, config } = store.read()
  const verified = await verifyAccessToken(
    token,
    key,
    store.now() - config.sliding_window_seconds * 1000,
  )
  if (!verified.ok) {
    if (verified.detail !== 'Token expired') throw new HttpError(401, verified.detail)
    return refused(rt, 'Token expired beyond the sliding window: sign in again')
  }
  const { claims } = verified
  const state = store.read()
  const family = getOwn(state.families, claims.sid)
  const user = state.users.find((u) => u.id === claims.sub)
  if (
    !family ||
    family.revoked_at !== null ||
    !user ||
    Object.hasOwn(state.revoked_jtis, claims.jti)
  ) {
    return refused(rt, 'Session revoked: sign in again')
  }
  const { accessToken } = await mintAccessToken(rt, user, family.id)
  return HttpResponse.json(
    { success: true, token: accessToken, user: toPublicUser(user) },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}
