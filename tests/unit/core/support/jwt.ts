let serial = 0
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** A JWT-shaped token; the engine never verifies signatures, the test server checks its own list. */
export function makeJwt(claims: Record<string, unknown>, signature = 'c2lnbmF0dXJl'): string {
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.${signature}`
}

/** A 300 s token issued now on the given (server) clock. */
export function tokenFor(serverNowMs: number, ttlSeconds = 300, sub = 'user-1', extra = {}) {
  const iat = Math.floor(serverNowMs / 1000)
  return makeJwt({ sub, iat, exp: iat + ttlSeconds, jti: `j${++serial}`, ...extra })
}
