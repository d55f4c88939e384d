import { HttpResponse, delay, http } from 'msw'
import { setupServer } from 'msw/node'
import { tokenFor } from './jwt'

export const API = 'http://api.test'

type Failure =
  | 401
  | 400
  | 403
  | 429
  | 500
  | 503
  | 'network'
  | 'timeout'
  | 'not-json'
  | 'no-token'
  /** Answers normally, after this long. */
  | { slowMs: number }

/**
 * A small auth backend for the engine's tests: rotating refresh tokens with reuse detection,
 * access tokens checked on the server's clock, and counters read at the server.
 */
export function createAuthServer(options: { ttlSeconds?: number } = {}) {
  const state = {
    ttlSeconds: options.ttlSeconds ?? 300,
    sub: 'user-1',
    access: new Set<string>(),
    refresh: new Set<string>(),
    used: new Set<string>(),
    failures: [] as Failure[],
    retryAfter: undefined as string | undefined,
    rejectAllRequests: false,
    counters: { refreshes: 0, refreshesOk: 0, rejected: 0, reuse: 0, requests: 0, unauthorized: 0 },
    /** Refresh calls being answered right now, and the most there ever were at once. */
    inFlight: 0,
    maxInFlight: 0,
    /** What reached the server, in order: `refresh` or the request's path. */
    log: [] as string[],
    created: 0,
    sent: [] as { path: string; token: string | null; status: number; id: string | null }[],
  }

  const issue = (sub = state.sub) => {
    const accessToken = tokenFor(Date.now(), state.ttlSeconds, sub)
    const refreshToken = `r-${Math.random().toString(36).slice(2)}`
    state.access.add(accessToken)
    state.refresh.add(refreshToken)
    return { accessToken, refreshToken, expiresIn: state.ttlSeconds }
  }

  const authorize = (request: Request) => {
    const header = request.headers.get('authorization')
    const token = header?.startsWith('Bearer ') ? header.slice(7) : null
    state.counters.requests++
    let ok = !state.rejectAllRequests && token !== null && state.access.has(token)
    if (ok && token) {
      const exp = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).exp
      ok = exp * 1000 > Date.now()
    }
    const path = new URL(request.url).pathname
    state.sent.push({ path, token, status: ok ? 200 : 401, id: request.headers.get('x-req') })
    state.log.push(path)
    if (!ok) state.counters.unauthorized++
    return ok
  }
  const unauthorized = () =>
    HttpResponse.json(
      { detail: 'Token expired' },
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } },
    )

  const answerRefresh = async (request: Request) => {
    const failure = state.failures.shift()
    if (failure === 'network') return HttpResponse.error()
    if (failure === 'timeout') await delay('infinite')
    if (typeof failure === 'object') await delay(failure.slowMs)
    if (failure === 'not-json') return new HttpResponse('<html>portal</html>', { status: 200 })
    if (failure === 'no-token') return HttpResponse.json({ token_type: 'bearer' })
    if (typeof failure === 'number') {
      state.counters.rejected += failure < 500 && failure !== 429 ? 1 : 0
      return HttpResponse.json(
        { detail: 'refresh failed' },
        { status: failure, headers: state.retryAfter ? { 'Retry-After': state.retryAfter } : {} },
      )
    }
    const body = (await request.json()) as { refresh_token?: string }
    const presented = body.refresh_token ?? ''
    if (state.used.has(presented)) {
      // Reuse detection, strict: the whole family (here: every token issued) is revoked.
      state.refresh.clear()
      state.access.clear()
      state.counters.reuse++
      state.counters.rejected++
      return HttpResponse.json({ detail: 'Refresh token reused' }, { status: 401 })
    }
    if (!state.refresh.has(presented)) {
      state.counters.rejected++
      return HttpResponse.json({ detail: 'Invalid refresh token' }, { status: 401 })
    }
    state.refresh.delete(presented)
    state.used.add(presented)
    state.counters.refreshesOk++
    const pair = issue()
    return HttpResponse.json({
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      token_type: 'bearer',
      expires_in: state.ttlSeconds,
    })
  }

  const handlers = [
    http.post(`${API}/api/v1/auth/refresh`, async ({ request }) => {
      state.counters.refreshes++
      state.log.push('refresh')
      state.inFlight++
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
      try {
        return await answerRefresh(request)
      } finally {
        state.inFlight--
      }
    }),
    http.post(`${API}/api/v1/auth/logout`, () => HttpResponse.json({ ok: true })),
    http.get(`${API}/api/v1/data`, ({ request }) =>
      authorize(request) ? HttpResponse.json({ ok: true }) : unauthorized(),
    ),
    http.post(`${API}/api/v1/jobs`, async ({ request }) => {
      if (!authorize(request)) return unauthorized()
      state.created++
      return HttpResponse.json(
        { id: state.created, ...((await request.json()) as object) },
        { status: 201 },
      )
    }),
    http.get(`${API}/api/v1/admin`, ({ request }) =>
      authorize(request)
        ? HttpResponse.json({ detail: 'Missing permission: admin' }, { status: 403 })
        : unauthorized(),
    ),
  ]

  return {
    state,
    handlers,
    /** Signs `sub` in: a fresh pair as the login call would return it. */
    login: (sub = state.sub) => issue(sub),
    /** The server forgets every access token it issued (as after a key rotation). */
    revokeAccessTokens: () => state.access.clear(),
    failNextRefresh: (...failures: Failure[]) => state.failures.push(...failures),
  }
}

export type AuthServer = ReturnType<typeof createAuthServer>

export const mswServer = setupServer()
