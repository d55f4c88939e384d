import { InvalidOptionError } from './errors'

/** How a confidential client authenticates at the token and revocation endpoints (RFC 6749 section 2.3.1). */
export type OAuth2ClientAuthentication = 'basic' | 'post'

export interface OAuth2ClientOptions {
  clientId: string
  /** For a confidential client; a browser app is a public client and has none. */
  clientSecret?: string
  /** `basic` (HTTP Basic, the default) or `post` (in the form). Used only with `clientSecret`. */
  clientAuthentication?: OAuth2ClientAuthentication
  /** The `fetch` to call. Default: the global one. */
  fetch?: typeof fetch
}

export function checkEndpoint(value: unknown, option: string): string {
  if (typeof value === 'string' && value.trim()) return value
  throw new InvalidOptionError(
    `\`${option}\` is ${JSON.stringify(value)}: pass the endpoint's URL, as the provider's discovery document lists it (/.well-known/openid-configuration).`,
  )
}

export function checkClient(options: OAuth2ClientOptions): void {
  if (typeof options.clientId !== 'string' || !options.clientId) {
    throw new InvalidOptionError(
      '`clientId` is missing: pass the client ID the authorization server registered for this app.',
    )
  }
  const { clientAuthentication } = options
  if (clientAuthentication !== undefined && !['basic', 'post'].includes(clientAuthentication)) {
    throw new InvalidOptionError(
      `\`clientAuthentication\` is ${JSON.stringify(clientAuthentication)}: pass 'basic' or 'post'.`,
    )
  }
}

// RFC 6749 section 2.3.1: the ID and secret are form-encoded before they are joined and encoded.
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')

/** The request's form and headers, with the client identified or authenticated as configured. */
export function clientRequest(
  options: OAuth2ClientOptions,
  params: Record<string, string>,
): { body: URLSearchParams; headers: Record<string, string> } {
  const body = new URLSearchParams(params)
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  }
  const { clientId, clientSecret } = options
  if (clientSecret && options.clientAuthentication !== 'post') {
    headers.Authorization = `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`
  } else {
    body.set('client_id', clientId)
    if (clientSecret) body.set('client_secret', clientSecret)
  }
  return { body, headers }
}

/** The endpoint's path, for messages: never its query, which might carry anything. */
export function pathOf(endpoint: string): string {
  try {
    return new URL(endpoint, 'http://x').pathname
  } catch {
    return endpoint.split(/[?#]/)[0] ?? ''
  }
}
