/** The cookie that carries the refresh token in `refresh_mode: "cookie"`. */
export const REFRESH_COOKIE = 'trk_refresh_token'

// In a page (the service-worker mocks) the handlers run in the page itself, and a page cannot hold
// an HttpOnly cookie of its own: there the cookie is a plain page cookie on `/`, read from
// `document.cookie`, which every tab shares (MSW's own cookie jar is a copy per tab, and a tab
// holding a rotated-away copy would trip reuse detection). Over HTTP and in msw/node it is HttpOnly
// and scoped to the auth endpoints, as a real backend would set it.
const inPage = () => typeof document !== 'undefined'

/** The contract's auth endpoints; an instance on other paths scopes the cookie to its own. */
export const DEFAULT_COOKIE_PATH = '/api/v1/auth'

function attributes(maxAgeSeconds: number, path: string): string {
  const scope = inPage() ? 'Path=/' : `Path=${path}; HttpOnly`
  return `${scope}; SameSite=Strict; Max-Age=${maxAgeSeconds}`
}

export function setRefreshCookie(
  token: string,
  maxAgeSeconds: number,
  path = DEFAULT_COOKIE_PATH,
): string {
  return `${REFRESH_COOKIE}=${token}; ${attributes(maxAgeSeconds, path)}`
}

export function clearRefreshCookie(path = DEFAULT_COOKIE_PATH): string {
  return `${REFRESH_COOKIE}=; ${attributes(0, path)}`
}

function parse(header: string): string | null {
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === REFRESH_COOKIE) return value.join('=') || null
  }
  return null
}

/**
 * The refresh token the request carries in its cookie: from the page's cookies in a page (unless
 * the request omits credentials), else from the cookies MSW gathered (the Cookie header over HTTP,
 * MSW's jar in msw/node).
 */
export function readRefreshCookie(
  request: Request,
  cookies: Record<string, string> | undefined,
): string | null {
  if (request.credentials === 'omit') return null
  if (inPage()) return parse(document.cookie)
  return cookies?.[REFRESH_COOKIE] || parse(request.headers.get('cookie') ?? '')
}
