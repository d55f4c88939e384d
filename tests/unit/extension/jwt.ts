const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** An unsigned-looking JWT for tests: the extension reads only its payload. */
export const jwt = (claims: Record<string, unknown>, signature = 'c2lnbmF0dXJlLXNlY3JldA') =>
  `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}.${signature}`
