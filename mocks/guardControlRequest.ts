import { HttpError, isJsonContentType } from './httpErrors'

const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]'])
const EXTENSION_ORIGIN = /^chrome-extension:\/\/[^/\s]+$/
const WHO_MAY_CALL =
  'the control API answers curl (no Origin), pages on localhost, 127.0.0.1 or [::1] (any port) and the extension'

function hostnameOf(url: string): string | null {
  try {
    const { protocol, hostname } = new URL(url)
    return protocol === 'http:' || protocol === 'https:' ? hostname : null
  } catch {
    return null
  }
}

function isAllowedOrigin(origin: string, own: string): boolean {
  if (origin === own || EXTENSION_ORIGIN.test(origin)) return true
  return LOCAL_HOSTNAMES.has(hostnameOf(origin) ?? '')
}

function isAllowedHost(host: string, own: string): boolean {
  return host === own || LOCAL_HOSTNAMES.has(hostnameOf(`http://${host}`) ?? '')
}

/**
 * Lets a `/__mock` request through only from a local caller, and a POST only as JSON, so a
 * site the tester visits cannot reset or reconfigure the mocks. Three checks, each a refusal:
 * a cross-site `Origin` (403); a foreign `Host`, which is how a DNS-rebinding page reaches
 * 127.0.0.1 with no Origin on its GETs (403); and a POST not declared JSON (415), since only
 * a non-JSON POST is one a foreign page can send without a CORS preflight. The service worker
 * sees the page's own origin and no Host, both allowed.
 */
export function guardControlRequest(request: Request): void {
  const own = new URL(request.url)
  const origin = request.headers.get('origin')
  if (origin !== null && !isAllowedOrigin(origin, own.origin)) {
    throw new HttpError(403, `Control API: origin ${origin} is not allowed; ${WHO_MAY_CALL}`)
  }
  const host = request.headers.get('host')
  if (host !== null && !isAllowedHost(host, own.host)) {
    throw new HttpError(
      403,
      `Control API: Host ${host} is not allowed (DNS rebinding guard); ${WHO_MAY_CALL}, by those names`,
    )
  }
  if (request.method === 'POST' && !isJsonContentType(request.headers.get('content-type') ?? '')) {
    throw new HttpError(
      415,
      'Control API: POST bodies must be JSON: send Content-Type: application/json, even with an empty body',
    )
  }
}
