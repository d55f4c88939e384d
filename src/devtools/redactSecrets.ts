// Anything shaped like a JWT (three base64url parts, the first a JSON header).
const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]+/g

/**
 * A copy of `value` in which every string has the given secrets and anything shaped like a JWT
 * replaced by `[redacted]`: the last guard before a message leaves the page, in case an error
 * message or a claim ever quotes a token.
 */
export function redactSecrets<T>(value: T, secrets: ReadonlyArray<string | null | undefined>): T {
  const known = secrets.filter((secret): secret is string => !!secret && secret.length >= 8)
  const scrub = (input: unknown): unknown => {
    if (typeof input === 'string') {
      let text = input.replace(JWT, '[redacted]')
      for (const secret of known) text = text.split(secret).join('[redacted]')
      return text
    }
    if (Array.isArray(input)) return input.map(scrub)
    if (typeof input === 'object' && input !== null) {
      return Object.fromEntries(Object.entries(input).map(([key, item]) => [key, scrub(item)]))
    }
    return input
  }
  return scrub(value) as T
}
