import { maskToken } from 'token-refresh-kit/devtools'

/** What the extension keeps of a Bearer token it saw: never the token itself, nor its signature. */
export interface SeenToken {
  /** A hash of the whole token, to tell "the same token" from "another" without keeping it. */
  fingerprint: string
  /** The payload's claims, or null when the token is not a JWT (an opaque token). */
  claims: Record<string, unknown> | null
  /** The first 6 and last 4 characters of the signed part, as the bridge shows it. */
  masked: string | null
}

const JWT = /eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]+/g

/** The token of an `Authorization: Bearer` header (any header-name case), else null. */
export function bearerOf(headers: Record<string, string>): string | null {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'authorization') continue
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value)
    return match?.[1] ?? null
  }
  return null
}

/** FNV-1a over the token: enough to recognise it again, useless to replay it. */
export function tokenFingerprint(token: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return `${token.length}:${(hash >>> 0).toString(16)}`
}

/** The payload's claims of a JWT (the header and signature are not read), else null. */
export function decodeClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/')
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes))
    return claims && typeof claims === 'object' && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

/** What may be kept and shown of a token. */
export function seeToken(token: string): SeenToken {
  return {
    fingerprint: tokenFingerprint(token),
    claims: decodeClaims(token),
    masked: maskToken(token),
  }
}

/** The fingerprints of the JWTs in a response body (a login's or a refresh's answer). */
export function tokensIn(body: string): string[] {
  return [...body.matchAll(JWT)].map((match) => tokenFingerprint(match[0]))
}
