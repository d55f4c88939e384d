import { MockControlError } from './MockControlError'
import type { AuthPaths, CreateAuthHandlersOptions } from './authOptions'

/** Throws a MockControlError naming every option that cannot work, and how it should be. */
export function checkAuthOptions(options: CreateAuthHandlersOptions, paths: AuthPaths): void {
  const errors: { field: string; message: string }[] = []
  if (typeof options.baseUrl !== 'string') {
    errors.push({
      field: 'baseUrl',
      message: 'is required: an origin such as https://api.test, or *',
    })
  }
  for (const [name, path] of Object.entries(paths)) {
    if (path !== null && (typeof path !== 'string' || !path.startsWith('/'))) {
      errors.push({
        field: `paths.${name}`,
        message: 'must start with / (or be null for no route)',
      })
    }
  }
  if (!Array.isArray(options.users)) {
    errors.push({ field: 'users', message: 'is required: a list of { email, password }' })
  }
  const emails = new Set<string>()
  ;(Array.isArray(options.users) ? options.users : []).forEach((user, index) => {
    const email = typeof user.email === 'string' ? user.email.trim().toLowerCase() : ''
    if (!email.includes('@'))
      errors.push({ field: `users[${index}].email`, message: 'must be an email address' })
    if (emails.has(email))
      errors.push({ field: `users[${index}].email`, message: `repeats ${email}` })
    emails.add(email)
    if (typeof user.password !== 'string' || user.password === '') {
      errors.push({ field: `users[${index}].password`, message: 'must be a non-empty string' })
    }
  })
  if (errors.length > 0) throw new MockControlError('createAuthHandlers', errors)
}
