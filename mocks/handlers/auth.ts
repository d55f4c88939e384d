import { http, HttpResponse } from 'msw'
import { apiRoute, type RouteInfo } from '../apiRoute'
import { db } from '../db'
import { HttpError, readJsonObject, validationError, type FieldError } from '../httpErrors'
import { REGISTRABLE_ROLES, ROLE_PERMISSIONS, toPublicUser } from '../model'
import type { MockState, Role, UserRecord } from '../model'
import { getOwn, setOwn } from '../ownEntry'
import { hashPassword, NO_ACCOUNT_PASSWORD, verifyPassword } from '../passwords'
import { randomId } from '../random'
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from '../refreshCookie'
import { revokeFamily, rotateRefreshToken, startFamily } from '../sessions'
import { takeRefreshFailure } from '../takeRefreshFailure'
import { mintAccessClaims, signAccessToken, verifyAccessToken } from '../tokens'
import { authenticate, bearerToken, withAuth } from '../withAuth'

const LOGIN_WINDOW_MS = 60_000
const LOGIN_MAX_FAILURES = 5
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const MIN_PASSWORD = 8

/** Mints, saves, then signs: the state is written before the only `await`. */
export async function mintAccessToken(user: UserRecord, familyId: string) {
  const { claims, key } = db.update((state, now) => ({
    claims: mintAccessClaims(state, user, familyId, now),
    key: state.signing_key,
  }))
  return { accessToken: await signAccessToken(claims, key), expiresIn: claims.exp - claims.iat }
}

/**
 * The token response of the refresh mode: `json` carries the refresh token in the body; `cookie`
 * sets it as an HttpOnly cookie and leaves it out of the body; `sliding` has none.
 */
async function tokenResponse(
  user: UserRecord,
  familyId: string,
  refreshToken: string,
  status = 200,
): Promise<Response> {
  const { refresh_mode: mode, refresh_ttl_seconds: ttl } = db.read().config
  const { accessToken, expiresIn } = await mintAccessToken(user, familyId)
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  if (mode === 'cookie') headers.set('Set-Cookie', setRefreshCookie(refreshToken, ttl))
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

function findUser(state: MockState, identity: string): UserRecord | undefined {
  const wanted = identity.trim().toLowerCase()
  return state.users.find((u) => u.email === wanted || u.username.toLowerCase() === wanted)
}

function recentFailures(state: MockState, identity: string, now: number): number[] {
  return (getOwn(state.login_failures, identity) ?? []).filter((t) => now - t < LOGIN_WINDOW_MS)
}

function optionalString(body: Record<string, unknown>, field: string, errors: FieldError[]) {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') {
    errors.push({ field, message: 'must be a string' })
    return undefined
  }
  return value
}

const login = apiRoute(async ({ request }) => {
  const body = await readJsonObject(request)
  const errors: FieldError[] = []
  const email = optionalString(body, 'email', errors)
  const username = optionalString(body, 'username', errors)
  const password = optionalString(body, 'password', errors)
  const identityText = (email ?? username ?? '').trim()
  if (!identityText) errors.push({ field: 'email', message: 'is required (or username)' })
  if (!password) errors.push({ field: 'password', message: 'is required' })
  if (errors.length > 0) throw validationError(errors)
  const identity = identityText.toLowerCase()

  const user = db.update((state, now) => {
    const failures = recentFailures(state, identity, now)
    if (failures.length >= LOGIN_MAX_FAILURES) {
      const retryAfter = Math.max(1, Math.ceil((failures[0]! + LOGIN_WINDOW_MS - now) / 1000))
      throw new HttpError(
        429,
        `Too many failed sign-ins for this account: try again in ${retryAfter} s`,
        { headers: { 'Retry-After': String(retryAfter) } },
      )
    }
    return findUser(state, identity)
  })
  const matches = await verifyPassword(password!, user?.password ?? NO_ACCOUNT_PASSWORD)
  const valid = user !== undefined && matches

  const session = db.update((state, now) => {
    if (!valid || !user) {
      setOwn(state.login_failures, identity, [...recentFailures(state, identity, now), now])
      return null
    }
    delete state.login_failures[identity]
    state.counters.logins += 1
    return startFamily(state, user.id, now)
  })
  if (!session || !user) throw new HttpError(401, 'Invalid credentials')
  return tokenResponse(user, session.familyId, session.refreshToken)
})

function registration(body: Record<string, unknown>) {
  const errors: FieldError[] = []
  const email = optionalString(body, 'email', errors)?.trim().toLowerCase()
  const password = optionalString(body, 'password', errors)
  const name = optionalString(body, 'name', errors)?.trim()
  const username = optionalString(body, 'username', errors)?.trim()
  const role = optionalString(body, 'role', errors) ?? 'user'
  if (!email || !EMAIL.test(email))
    errors.push({ field: 'email', message: 'must be a valid email address' })
  if (!password || password.length < MIN_PASSWORD) {
    errors.push({ field: 'password', message: `must be at least ${MIN_PASSWORD} characters` })
  }
  if (!name) errors.push({ field: 'name', message: 'is required' })
  else if (name.length > 100)
    errors.push({ field: 'name', message: 'must be at most 100 characters' })
  if (username !== undefined && !/^[a-zA-Z0-9._-]{3,32}$/.test(username)) {
    errors.push({
      field: 'username',
      message: 'must be 3-32 letters, digits, dots, dashes or underscores',
    })
  }
  if (!REGISTRABLE_ROLES.includes(role as Role)) {
    errors.push({ field: 'role', message: `must be one of ${REGISTRABLE_ROLES.join(', ')}` })
  }
  if (errors.length > 0) throw validationError(errors)
  return { email: email!, password: password!, name: name!, username, role: role as Role }
}

function assertAvailable(state: MockState, email: string, username: string | undefined): void {
  if (state.users.some((u) => u.email === email)) {
    throw new HttpError(409, `Email already registered: ${email}`)
  }
  if (username && state.users.some((u) => u.username.toLowerCase() === username.toLowerCase())) {
    throw new HttpError(409, `Username already taken: ${username}`)
  }
}

function freeUsername(state: MockState, email: string): string {
  const base = email.split('@')[0]!.replace(/[^a-zA-Z0-9._-]/g, '') || 'user'
  let candidate = base
  for (
    let n = 2;
    state.users.some((u) => u.username.toLowerCase() === candidate.toLowerCase());
    n++
  ) {
    candidate = `${base}${n}`
  }
  return candidate
}

const register = apiRoute(async ({ request }) => {
  const input = registration(await readJsonObject(request))
  assertAvailable(db.read(), input.email, input.username)
  const password = await hashPassword(input.password)
  const created = db.update((state, now) => {
    // Checked again: another tab may have registered the same email during the hash.
    assertAvailable(state, input.email, input.username)
    const user: UserRecord = {
      id: randomId('usr'),
      email: input.email,
      username: input.username ?? freeUsername(state, input.email),
      name: input.name,
      role: input.role,
      permissions: [...ROLE_PERMISSIONS[input.role]],
      password,
      created_at: now,
    }
    state.users.push(user)
    return { user, ...startFamily(state, user.id, now) }
  })
  return tokenResponse(created.user, created.familyId, created.refreshToken, 201)
})

/** The refresh token of a `json` or `cookie` refresh; a missing one is a 422 or a 401. */
async function presentedRefreshToken(info: RouteInfo): Promise<string> {
  if (db.read().config.refresh_mode === 'cookie') {
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

const refresh = apiRoute(async (info) => {
  db.update((state) => {
    state.counters.refreshes += 1
  })
  const mode = db.read().config.refresh_mode
  try {
    const token = mode === 'sliding' ? null : await presentedRefreshToken(info)
    const simulated = takeRefreshFailure()
    if (simulated === 'network') return HttpResponse.error()
    if (simulated === 500)
      throw new HttpError(500, 'Refresh failed: simulated server error (mock scenario)')
    if (simulated === 401) throw new HttpError(401, 'Refresh token rejected (mock scenario)')
    if (token === null) return await slidingRefresh(info.request)

    const rotated = db.update((state, now) => rotateRefreshToken(state, token, now))
    if (!rotated.ok) throw new HttpError(401, rotated.detail)
    return await tokenResponse(rotated.user, rotated.familyId, rotated.refreshToken)
  } catch (error) {
    // A 4xx refuses the refresh token (the client's session ends); a 5xx is a failure it retries.
    const failed = error instanceof HttpError && error.status >= 500
    db.update((state) => {
      if (failed) state.counters.refreshes_failed += 1
      else state.counters.refreshes_rejected += 1
    })
    if (mode === 'cookie' && error instanceof HttpError && !failed) {
      error.headers['Set-Cookie'] = clearRefreshCookie()
    }
    throw error
  }
})

/**
 * Seed 003's refresh: the access token as Bearer, valid or expired less than
 * `sliding_window_seconds` ago, traded for a new one of the same session, answered
 * `{success, token, user}`. A token of a revoked session, or expired longer ago, is answered
 * `{success: false}` (200, as that backend does); no token or a forged one is a 401.
 */
async function slidingRefresh(request: Request): Promise<Response> {
  const token = bearerToken(request)
  if (!token) throw new HttpError(401, 'Not authenticated: send the access token as Bearer')
  const { signing_key: key, config } = db.read()
  const verified = await verifyAccessToken(
    token,
    key,
    db.now() - config.sliding_window_seconds * 1000,
  )
  if (!verified.ok) {
    if (verified.detail !== 'Token expired') throw new HttpError(401, verified.detail)
    return refused('Token expired beyond the sliding window: sign in again')
  }
  const { claims } = verified
  const state = db.read()
  const family = getOwn(state.families, claims.sid)
  const user = state.users.find((u) => u.id === claims.sub)
  if (
    !family ||
    family.revoked_at !== null ||
    !user ||
    Object.hasOwn(state.revoked_jtis, claims.jti)
  ) {
    return refused('Session revoked: sign in again')
  }
  const { accessToken } = await mintAccessToken(user, family.id)
  return HttpResponse.json(
    { success: true, token: accessToken, user: toPublicUser(user) },
    { headers: { 'Cache-Control': 'no-store' } },
  )
}

function refused(detail: string): Response {
  db.update((state) => {
    state.counters.refreshes_rejected += 1
  })
  return HttpResponse.json({ success: false, detail }, { headers: { 'Cache-Control': 'no-store' } })
}

/**
 * Revokes the access token's jti and its family, and the family of `refresh_token` if given.
 * An expired access token still identifies its session here, so signing out never fails
 * just because the tab slept.
 */
const logout = apiRoute(async ({ request, cookies }) => {
  const body = await readJsonObject(request)
  const cookieMode = db.read().config.refresh_mode === 'cookie'
  const refreshToken = cookieMode
    ? readRefreshCookie(request, cookies)
    : typeof body.refresh_token === 'string'
      ? body.refresh_token
      : null
  const token = bearerToken(request)
  let authError: unknown = null
  let claims: { jti: string; sid: string; exp: number } | null = null
  try {
    claims = (await authenticate(request)).claims
  } catch (error) {
    authError = error
    if (token) {
      const result = await verifyAccessToken(token, db.read().signing_key, 0)
      if (result.ok) claims = result.claims
    }
  }
  const revoked = db.update((state, now) => {
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
  const headers: Record<string, string> = cookieMode ? { 'Set-Cookie': clearRefreshCookie() } : {}
  if (revoked === 0) {
    const error = authError ?? new HttpError(401, 'Not authenticated')
    if (error instanceof HttpError) Object.assign(error.headers, headers)
    throw error
  }
  return HttpResponse.json({ detail: 'Signed out' }, { headers })
})

const me = apiRoute(withAuth(async ({ auth }) => HttpResponse.json(toPublicUser(auth.user))))

const health = apiRoute(async () => HttpResponse.json({ status: 'healthy' }))

export const authHandlers = [
  http.post('*/api/v1/auth/register', register),
  http.post('*/api/v1/auth/login', login),
  http.post('*/api/v1/auth/refresh', refresh),
  http.post('*/api/v1/auth/logout', logout),
  http.get('*/api/v1/auth/me', me),
  http.get('*/api/v1/auth/health', health),
]
