import { HttpError, readJsonObject, validationError, type FieldError } from '../httpErrors'
import { hashPassword } from '../passwords'
import { randomId } from '../random'
import { startFamily } from '../sessions'
import type { AuthState, AuthUserRecord } from './authModel'
import type { AuthRuntime } from './authRuntime'
import { optionalString } from './bodyFields'
import type { RouteResolver } from './createRoutes'
import { tokenResponse } from './tokenResponse'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const MIN_PASSWORD = 8

function registration(body: Record<string, unknown>, roles: readonly string[]) {
  const errors: FieldError[] = []
  const email = optionalString(body, 'email', errors)?.trim().toLowerCase()
  const password = optionalString(body, 'password', errors)
  const name = optionalString(body, 'name', errors)?.trim()
  const username = optionalString(body, 'username', errors)?.trim()
  const role = optionalString(body, 'role', errors) ?? roles[0] ?? 'user'
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
  if (!roles.includes(role)) {
    errors.push({ field: 'role', message: `must be one of ${roles.join(', ')}` })
  }
  if (errors.length > 0) throw validationError(errors)
  return { email: email!, password: password!, name: name!, username, role }
}

function assertAvailable(state: AuthState, email: string, username: string | undefined): void {
  if (state.users.some((u) => u.email === email)) {
    throw new HttpError(409, `Email already registered: ${email}`)
  }
  if (username && state.users.some((u) => u.username.toLowerCase() === username.toLowerCase())) {
    throw new HttpError(409, `Username already taken: ${username}`)
  }
}

function freeUsername(state: AuthState, email: string): string {
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

/** `{email, password, name, role?}` in, 201 and a token response out; 409 taken; 422 invalid. */
export function createRegisterRoute(rt: AuthRuntime): RouteResolver {
  const { store, registrableRoles } = rt
  return async ({ request }) => {
    const input = registration(await readJsonObject(request), Object.keys(registrableRoles))
    assertAvailable(store.read(), input.email, input.username)
    const password = await hashPassword(input.password)
    const created = store.update((state, now) => {
      // Checked again: another tab may have registered the same email during the hash.
      assertAvailable(state, input.email, input.username)
      const user: AuthUserRecord = {
        id: randomId('usr'),
        email: input.email,
        username: input.username ?? freeUsername(state, input.email),
        name: input.name,
        role: input.role,
        permissions: [...(registrableRoles[input.role] ?? [])],
        password,
        created_at: now,
      }
      state.users.push(user)
      return { user, ...startFamily(state, user.id, now) }
    })
    return tokenResponse(rt, created.user, created.familyId, created.refreshToken, 201)
  }
}
