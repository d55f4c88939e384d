import { HttpError, readJsonObject, validationError, type FieldError } from '../httpErrors'
import { getOwn, setOwn } from '../ownEntry'
import { NO_ACCOUNT_PASSWORD, verifyPassword } from '../passwords'
import { startFamily } from '../sessions'
import type { AuthState, AuthUserRecord } from './authModel'
import type { AuthRuntime } from './authRuntime'
import { optionalString } from './bodyFields'
import type { RouteResolver } from './createRoutes'
import { tokenResponse } from './tokenResponse'

const LOGIN_WINDOW_MS = 60_000
const LOGIN_MAX_FAILURES = 5

/** The user an identity (email or username, any case) names; the OAuth password grant uses it too. */
export function findUser(state: AuthState, identity: string): AuthUserRecord | undefined {
  const wanted = identity.trim().toLowerCase()
  return state.users.find((u) => u.email === wanted || u.username.toLowerCase() === wanted)
}

function recentFailures(state: AuthState, identity: string, now: number): number[] {
  return (getOwn(state.login_failures, identity) ?? []).filter((t) => now - t < LOGIN_WINDOW_MS)
}

/** `{email, password}` (or `username`) in, a token response out; 429 after repeated failures. */
export function createLoginRoute(rt: AuthRuntime): RouteResolver {
  const { store } = rt
  return async ({ request }) => {
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

    const user = store.update((state, now) => {
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

    const session = store.update((state, now) => {
      if (!valid || !user) {
        setOwn(state.login_failures, identity, [...recentFailures(state, identity, now), now])
        return null
      }
      delete state.login_failures[identity]
      state.counters.logins += 1
      return startFamily(state, user.id, now)
    })
    if (!session || !user) throw new HttpError(401, 'Invalid credentials')
    return tokenResponse(rt, user, session.familyId, session.refreshToken)
  }
}
