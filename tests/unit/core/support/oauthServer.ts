import { randomBytes } from 'node:crypto'
import { HttpResponse, http } from 'msw'
import { API } from './authServer'

export const TOKEN_ENDPOINT = `${API}/oauth/token`
export const REVOCATION_ENDPOINT = `${API}/oauth/revoke`

const opaque = () => randomBytes(32).toString('base64url')

/**
 * An OAuth 2.0 server for the engine's tests, speaking RFC 6749 section 6 and RFC 7009 with
 * opaque access tokens (`expires_in` only, as Auth0 issues them without an audience): rotating
 * refresh tokens with reuse detection, access tokens checked on the server's clock, counters.
 */
export function createOAuthServer(options: { ttlSeconds?: number; now?: () => number } = {}) {
  const now = options.now ?? Date.now
  const ttlSeconds = options.ttlSeconds ?? 300
  const state = {
    access: new Map<string, number>(),
    refresh: new Set<string>(),
    used: new Set<string>(),
    revoked: [] as { token: string; hint: string | null }[],
    forms: [] as URLSearchParams[],
    counters: { refreshes: 0, rejected: 0, reuse: 0, requests: 0, unauthorized: 0 },
    /** Answers the next refresh with the access token it was meant to replace. */
    repeatAccessToken: false,
  }
  const issue = () => {
    const accessToken = opaque()
    const refreshToken = opaque()
    state.access.set(accessToken, now() + ttlSeconds * 1000)
    state.refresh.add(refreshToken)
    return { accessToken, refreshToken }
  }
  let last: string | null = null
  const login = () => {
    const pair = issue()
    last = pair.accessToken
    return { ...pair, expiresIn: ttlSeconds }
  }

  const handlers = [
    http.post(TOKEN_ENDPOINT, async ({ request }) => {
      const form = new URLSearchParams(await request.text())
      state.forms.push(form)
      state.counters.refreshes++
      const presented = form.get('refresh_token') ?? ''
      if (form.get('grant_type') !== 'refresh_token') {
        return HttpResponse.json({ error: 'unsupported_grant_type' }, { status: 400 })
      }
      if (!state.refresh.has(presented)) {
        if (state.used.has(presented)) state.counters.reuse++
        state.counters.rejected++
        state.refresh.clear()
        return HttpResponse.json(
          { error: 'invalid_grant', error_description: 'Unknown or reused refresh token' },
          { status: 400 },
        )
      }
      state.refresh.delete(presented)
      state.used.add(presented)
      const next = issue()
      if (state.repeatAccessToken && last) {
        state.repeatAccessToken = false
        next.accessToken = last
      }
      last = next.accessToken
      return HttpResponse.json({
        access_token: next.accessToken,
        refresh_token: next.refreshToken,
        token_type: 'Bearer',
        expires_in: ttlSeconds,
      })
    }),
    http.post(REVOCATION_ENDPOINT, async ({ request }) => {
      const form = new URLSearchParams(await request.text())
      const token = form.get('token') ?? ''
      state.revoked.push({ token, hint: form.get('token_type_hint') })
      state.refresh.delete(token)
      state.access.delete(token)
      return new HttpResponse(null, { status: 200 })
    }),
    http.get(`${API}/api/v1/data`, ({ request }) => {
      state.counters.requests++
      const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? ''
      const expiresAt = state.access.get(token)
      if (expiresAt === undefined || expiresAt <= now()) {
        state.counters.unauthorized++
        return HttpResponse.json({ detail: 'Invalid token' }, { status: 401 })
      }
      return HttpResponse.json({ ok: true })
    }),
  ]
  return {
    state,
    handlers,
    login,
    expireAccessTokens: () => state.access.forEach((_, token) => state.access.set(token, 0)),
  }
}
