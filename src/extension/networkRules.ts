/** How the next refresh call is broken: `slow` delays it by `seconds`. */
export type RefreshFailure =
  { kind: 401 } | { kind: 500 } | { kind: 'network' } | { kind: 'slow'; seconds: number }

/** What the tester set for one attached tab. */
export interface NetworkRules {
  /** Requests bearing this token (its fingerprint) are answered 401 until the page sends another. */
  expired: string | null
  failNextRefresh: RefreshFailure | null
  /** Added to every request the page makes. */
  latencyMs: number
  /** The tester's pattern for the refresh call: `*` matches anything, else a substring of the URL. */
  refreshPattern: string | null
  /** Origin and path of calls whose answers carried a new token. */
  learned: ReadonlySet<string>
}

export type RequestDecision =
  | { type: 'continue'; delayMs: number }
  | { type: 'expired'; delayMs: number }
  | { type: 'fail-refresh'; failure: RefreshFailure; delayMs: number }

export const emptyRules = (): NetworkRules => ({
  expired: null,
  failNextRefresh: null,
  latencyMs: 0,
  refreshPattern: null,
  learned: new Set(),
})

// Without a pattern or a call seen answering a new token, these name most refresh endpoints:
// the contract's /auth/refresh, OAuth's /token, /token/refresh.
const USUAL_REFRESH = /\/(refresh|token)(\/|$)|refresh[-_]?token/i
const SIGN_IN = /\/(login|signin|sign-in|register|signup|sign-up)(\/|$)/i

/** Origin and path of a URL: the query may carry secrets and is never kept. */
export function urlKey(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return url.split(/[?#]/)[0] ?? url
  }
}

export function matchesPattern(url: string, pattern: string): boolean {
  if (!pattern.includes('*')) return url.includes(pattern)
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${escaped}$`).test(url)
}

/** Whether a call is the page's refresh: the tester's pattern if set, else learned or usual. */
export function isRefreshCall(url: string, rules: NetworkRules): boolean {
  if (rules.refreshPattern) return matchesPattern(url, rules.refreshPattern)
  const key = urlKey(url)
  if (rules.learned.has(key)) return true
  const path = key.replace(/^[a-z]+:\/\/[^/]+/i, '')
  return USUAL_REFRESH.test(path) && !SIGN_IN.test(path)
}

/** Whether a call whose answer carried a new token is a refresh (and not a sign-in). */
export function isSignIn(url: string): boolean {
  return SIGN_IN.test(urlKey(url).replace(/^[a-z]+:\/\/[^/]+/i, ''))
}

/** What to do with a request the page is about to send. */
export function decideRequest(
  request: { url: string; bearer: string | null },
  rules: NetworkRules,
): RequestDecision {
  const delayMs = rules.latencyMs
  if (isRefreshCall(request.url, rules)) {
    return rules.failNextRefresh
      ? { type: 'fail-refresh', failure: rules.failNextRefresh, delayMs }
      : { type: 'continue', delayMs }
  }
  if (rules.expired !== null && request.bearer === rules.expired)
    return { type: 'expired', delayMs }
  return { type: 'continue', delayMs }
}

/** The answer to a request bearing an expired token, as the contract's backends give it. */
export function expiredResponse(origin: string | null) {
  const headers = [
    { name: 'Content-Type', value: 'application/json' },
    { name: 'WWW-Authenticate', value: 'Bearer error="invalid_token"' },
    { name: 'Cache-Control', value: 'no-store' },
    ...corsHeaders(origin),
  ]
  return { status: 401, headers, body: JSON.stringify({ detail: 'Token expired' }) }
}

/** A refresh failure answered by the extension (401 or 500). */
export function failedRefreshResponse(status: 401 | 500, origin: string | null) {
  const detail = status === 401 ? 'Refresh token rejected' : 'Internal server error'
  const headers = [
    { name: 'Content-Type', value: 'application/json' },
    { name: 'Cache-Control', value: 'no-store' },
    ...corsHeaders(origin),
  ]
  return { status, headers, body: JSON.stringify({ detail }) }
}

// A cross-origin page reads an answer the extension made only with these; the real server's
// preflight has already allowed the request itself.
function corsHeaders(origin: string | null) {
  if (!origin) return []
  return [
    { name: 'Access-Control-Allow-Origin', value: origin },
    { name: 'Access-Control-Allow-Credentials', value: 'true' },
    { name: 'Access-Control-Expose-Headers', value: 'WWW-Authenticate' },
    { name: 'Vary', value: 'Origin' },
  ]
}
