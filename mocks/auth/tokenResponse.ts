import { HttpResponse } from 'msw'
import { setRefreshCookie } from '../refreshCookie'
import { mintAccessClaims, signAccessToken } from '../tokens'
import { toPublicUser, type AuthUserRecord } from './authModel'
import type { AuthRuntime } from './authRuntime'

/** Mints, saves, then signs: the state is written before the only `await`. */
export async function mintAccessToken(rt: AuthRuntime, user: AuthUserRecord, familyId: string) {
  const { claims, key } = rt.store.update((state, now) => ({
    claims: mintAccessClaims(state, user, familyId, now),
    key: state.signing_key,
  }))
  return { accessToken: await signAccessToken(claims, key), expiresIn: claims.exp - claims.iat }
}

/**
 * The token response of the refresh mode: `json` carries the refresh token in the body; `cookie`
 * sets it as an HttpOnly cookie and leaves it out of the body; `sliding` has none.
 */
export async function tokenResponse(
  rt: AuthRuntime,
  user: AuthUserRecord,
  familyId: string,
  refreshToken: string,
  status = 200,
): Promise<Response> {
  const { refresh_mode: mode, refresh_ttl_seconds: ttl } = rt.store.read().config
  const { accessToken, expiresIn } = await mintAccessToken(rt, user, familyId)
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  if (mode === 'cookie')
    headers.set('Set-Cookie', setRefreshCookie(refreshToken, ttl, rt.cookiePath))
  return HttpResponse.json(
    {
      access_token: accessToken,
      ...(mode === 'json' && { refresh_token: refreshToken }),
      token_type: 'bearer',
      expires_in: expiresIn,
      user: toPublicUser(user),
    },
    { status, headers },
  )
}
