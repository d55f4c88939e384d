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
// After an origin, the end, a path, a query or a fragment leave its authority as it is (unlike
// `@`, `:`, `.` or a tab, which the parser drops): the URL goes to that origin.
const endsAuthority = (code: number) =>
  Number.isNaN(code) || code === 47 || code === 63 || code === 35
// Without a page (Node) a relative URL has no origin; it goes wherever the other relative URLs go.
const RELATIVE = 'relative:'

// What the URL parser ignores: leading controls and spaces, and tabs and newlines anywhere.
function preprocess(url: string) {
  let start = 0
  while (start < url.length && url.charCodeAt(start) <= 0x20) start++
  return url.slice(start).replace(/[\t\n\r]/g, '')
}

interface Base {
  href: string
  origin: string | null
}

/**
 * The origin `url` goes to, resolved against `base` (none: no page, Node); `home` lets a URL that
 * plainly starts with it skip the parser. Relative URLs never need it: they keep the base's origin.
 */
function originOf(url: string, base: Base | undefined, home?: string | null): string | null {
  if (
    home &&
    home !== RELATIVE &&
    url.startsWith(home) &&
    endsAuthority(url.charCodeAt(home.length))
  )
    return home
  const bare = preprocess(url)
  if (!SCHEME.test(bare)) {
    // `//host/x` (and `/\host/x`) names another host; without a page its scheme is unknown.
    if (!/^[/\\]{2}/.test(bare)) return base ? base.origin : RELATIVE
    if (!base) return null
  }
  try {
    const { origin } = new URL(url, base?.href)
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
  const pageOf = (href: string | undefined): Base | undefined =>
    href === undefined ? undefined : { href, origin: originOf(href, undefined) }
  // Each resolved once, again only when the input changes.
  let page = pageOf(undefined)
  let base = page
  let homeFor: string | undefined
  let home: string | null = null

  return (url, baseURL) => {
    const location = globalThis.location as Location | undefined
    // Relative URLs resolve as XHR and fetch resolve them: against the document's base URL.
    const baseHref = globalThis.document?.baseURI ?? location?.href
    if (location?.href !== page?.href) {
      page = pageOf(location?.href)
      homeFor = undefined
      home = null
    }
    if (baseHref !== base?.href) base = pageOf(baseHref)
    if (baseURL !== homeFor || home === null) {
      home = originOf(baseURL ?? '', page)
      homeFor = baseURL
    }
    const target = originOf(url, base, home)
    if (target === null) return false
    if (target === home) return true
    return target !== RELATIVE && rules.some((allows) => allows(target))
  }
}
