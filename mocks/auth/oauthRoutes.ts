import { HttpResponse } from 'msw'
import { HttpError, MAX_JSON_BYTES } from '../httpErrors'
import { getOwn, setOwn } from '../ownEntry'
import { NO_ACCOUNT_PASSWORD, verifyPassword } from '../passwords'
import { revokeFamily, rotateRefreshToken, startFamily } from '../sessions'
import { verifyAccessToken } from '../tokens'
import type { AuthRuntime } from './authRuntime'
import type { RouteResolver } from './createRoutes'
import { findUser } from './loginRoute'
import { countRefreshError, takeRefreshFailure } from './takeRefreshFailure'
import { mintAccessToken } from './tokenResponse'

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

/** An RFC 6749 section 5.2 error: `{error, error_description}` (and the mocks' `detail`). */
function oauthError(status: number, error: string, description: string): HttpError {
  return new HttpError(status, description, {
    headers: NO_STORE,
    extra: { error, error_description: description },
  })
}

async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(type)) {
    throw oauthError(
      400,
      'invalid_request',
      'Send the parameters form-encoded, with Content-Type: application/x-www-form-urlencoded',
    )
  }
  const text = await request.text()
  if (text.length > MAX_JSON_BYTES) throw oauthError(400, 'invalid_request', 'Body too large')
  return new URLSearchParams(text)
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name)
  if (!value) throw oauthError(400, 'invalid_request', `Missing parameter: ${name}`)
  return value
}

async function tokenAnswer(
  rt: AuthRuntime,
  userId: string,
  familyId: string,
  refreshToken: string,
  scope: string | null,
) {
  const user = rt.store.read().users.find((u) => u.id === userId)
  if (!user) throw oauthError(400, 'invalid_grant', 'Invalid refresh token')
  const { accessToken, expiresIn } = await mintAccessToken(rt, user, familyId)
  return HttpResponse.json(
    {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
      refresh_token: refreshToken,
      ...(scope && { scope }),
    },
    { headers: NO_STORE },
  )
}

async function refreshGrant(rt: AuthRuntime, form: URLSearchParams): Promise<Response> {
  const { store } = rt
  store.update((state) => {
    state.counters.refreshes += 1
  })
  try {
    const token = required(form, 'refresh_token')
    const simulated = takeRefreshFailure(store)
    if (simulated === 'network') return HttpResponse.error()
    if (simulated === 500)
      throw oauthError(500, 'server_error', 'Simulated server error (mock scenario)')
    if (simulated === 401)
      throw oauthError(400, 'invalid_grant', 'Refresh token rejected (mock scenario)')
    const rotated = store.update((state, now) => rotateRefreshToken(state, token, now))
    if (!rotated.ok) throw oauthError(400, 'invalid_grant', rotated.detail)
    return await tokenAnswer(
      rt,
      rotated.user.id,
      rotated.familyId,
      rotated.refreshToken,
      form.get('scope'),
    )
  } catch (error) {
    countRefreshError(store, error instanceof HttpError && error.status >= 500)
    throw error
  }
}

async function passwordGrant(rt: AuthRuntime, form: URLSearchParams): Promise<Response> {
  const identity = required(form, 'username')
  const password = required(form, 'password')
  const user = findUser(rt.store.read(), identity)
  const matches = await verifyPassword(password, user?.password ?? NO_ACCOUNT_PASSWORD)
  if (!user || !matches) throw oauthError(400, 'invalid_grant', 'Invalid username or password')
  const session = rt.store.update((state, now) => {
    state.counters.logins += 1
    return startFamily(state, user.id, now)
  })
  return tokenAnswer(rt, user.id, session.familyId, session.refreshToken, form.get('scope'))
}

/**
 * RFC 6749 token endpoint: `grant_type=refresh_token` (section 6) with the same rotation and reuse
 * detection as the JSON refresh, and `grant_type=password` to sign in. A refused refresh token is
 * 400 `invalid_grant`; a public client need only name itself with `client_id`.
 */
export function createOAuthTokenRoute(rt: AuthRuntime): RouteResolver {
  return async ({ request }) => {
    const form = await readForm(request)
    if (!form.get('client_id')) {
      throw oauthError(401, 'invalid_client', 'Missing client_id: name the client')
    }
    const grant = required(form, 'grant_type')
    if (grant === 'refresh_token') return refreshGrant(rt, form)
    if (grant === 'password') return passwordGrant(rt, form)
    throw oauthError(
      400,
      'unsupported_grant_type',
      `Unsupported grant_type "${grant}": use refresh_token or password`,
    )
  }
}

/**
 * RFC 7009 revocation: a refresh token revokes its whole session, an access token its jti and
 * session. Any token, even one unknown or already revoked, is answered 200.
 */
export function createOAuthRevokeRoute(rt: AuthRuntime): RouteResolver {
  const { store } = rt
  return async ({ request }) => {
    const form = await readForm(request)
    const value = required(form, 'token')
    const record = getOwn(store.read().refresh_tokens, value)
    const access = record ? null : await verifyAccessToken(value, store.read().signing_key, 0)
    store.update((state, now) => {
      if (record) revokeFamily(state, record.family_id, 'logout', now)
      if (access?.ok) {
        setOwn(state.revoked_jtis, access.claims.jti, access.claims.exp)
        revokeFamily(state, access.claims.sid, 'logout', now)
      }
    })
    return new HttpResponse(null, { status: 200, headers: NO_STORE })
  }
}
