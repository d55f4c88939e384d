import { InvalidOptionError } from './errors'

/** An origin that may receive the token: `'https://api.example.com'`, a RegExp tested against the origin, or a predicate on it. */
export type OriginRule = string | RegExp | ((origin: string) => boolean)

/** Origins that may receive the token besides the default one; one rule or a list. */
export type AllowedOrigins = OriginRule | readonly OriginRule[]

/**
 * Whether a request to `url` (the full URL the client sends, maybe relative) may carry the token:
 * yes for the origin of `baseURL` (the page's when `baseURL` is relative or absent) and for the
 * `allowedOrigins`; no for any other.
 */
export type OriginPolicy = (url: string, baseURL?: string) => boolean

// scheme://host[:port] with at most a trailing slash: no path, query, fragment, user or wildcard.
const ORIGIN = /^[a-z][a-z\d+.-]*:\/\/[^/?#@\\\s*]+\/?$/i
const SCHEME = /^[a-z][a-z\d+.-]*:/i
// Without a page (Node) a relative URL has no origin; it goes wherever the other relative URLs go.
const RELATIVE = 'relative:'

// What the URL parser ignores: leading controls and spaces, and tabs and newlines anywhere.
function preprocess(url: string) {
  let start = 0
  while (start < url.length && url.charCodeAt(start) <= 0x20) start++
  return url.slice(start).replace(/[\t\n\r]/g, '')
}

function originOf(url: string, base: string | undefined): string | null {
  const bare = base === undefined ? preprocess(url) : ''
  if (base === undefined && !SCHEME.test(bare)) {
    // `//host/x` would take a scheme we do not know: another host, never ours by default.
    return /^[/\\]{2}/.test(bare) ? null : RELATIVE
  }
  try {
    const { origin } = new URL(url, base)
    return origin === 'null' ? null : origin
  } catch {
    return null
  }
}

function compile(rule: OriginRule): (origin: string) => boolean {
  if (typeof rule === 'function') return rule
  if (rule instanceof RegExp) {
    // A global or sticky RegExp keeps `lastIndex` between tests and would answer every other call wrong.
    const pattern = new RegExp(rule.source, rule.flags.replace(/[gy]/g, ''))
    return (origin) => pattern.test(origin)
  }
  const origin = typeof rule === 'string' && ORIGIN.test(rule) ? originOf(rule, undefined) : null
  if (origin === null || origin === RELATIVE) {
    throw new InvalidOptionError(
      `allowedOrigins: ${JSON.stringify(rule)} is not an origin. Write it as scheme://host[:port], e.g. "https://api.example.com", with no path; pass a RegExp or a function for a pattern of origins.`,
    )
  }
  return (candidate) => candidate === origin
}

/**
 * The rule that keeps tokens where they belong, shared by the axios interceptor and the fetch
 * wrapper. Throws `InvalidOptionError` for an `allowedOrigins` string that is not an origin.
 */
export function createOriginPolicy(allowedOrigins: AllowedOrigins = []): OriginPolicy {
  const rules = (Array.isArray(allowedOrigins) ? allowedOrigins : [allowedOrigins]).map((rule) =>
    compile(rule as OriginRule),
  )
  let homeFor: string | undefined
  let home: string | null = null
  let resolved = false

  return (url, baseURL) => {
    const location = globalThis.location as Location | undefined
    if (!resolved || baseURL !== homeFor) {
      home = originOf(baseURL ?? '', location?.href)
      homeFor = baseURL
      resolved = true
    }
    // Relative URLs resolve as XHR and fetch resolve them: against the document's base URL.
    const target = originOf(url, globalThis.document?.baseURI ?? location?.href)
    if (target === null) return false
    if (target === home) return true
    return target !== RELATIVE && rules.some((allows) => allows(target))
  }
}
