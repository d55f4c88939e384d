import { classifyRefreshFailure } from './classifyRefreshFailure'
import { InvalidRefreshResponseError, RefreshRejectedError } from './errors'
import { toHttpFailure } from './HttpFailure'
import {
  checkClient,
  checkEndpoint,
  clientRequest,
  pathOf,
  type OAuth2ClientOptions,
} from './oauth2Client'
import type { RefreshFn, TokenPair } from './types'

export interface OAuth2RefreshAdapterOptions extends OAuth2ClientOptions {
  /** The authorization server's token endpoint (`token_endpoint` in its discovery document). */
  tokenEndpoint: string
  /** Asks for these scopes (a subset of those granted). Default: none sent, the grant's scopes. */
  scope?: string | string[]
  /** More form parameters, such as `resource` (RFC 8707) or Auth0's `audience`. */
  extraParams?: Record<string, string>
}

// RFC 6749 section 5.2: the refresh token (invalid_grant) or the client (invalid_client) is refused
// for good; retrying cannot help.
const FINAL_ERRORS = new Set(['invalid_grant', 'invalid_client'])

type Json = Record<string, unknown>

async function readJson(response: Response): Promise<Json | null> {
  const text = await response.text()
  try {
    const data: unknown = JSON.parse(text)
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Json) : null
  } catch {
    return null
  }
}

const secondsOf = (value: unknown): number | undefined => {
  const seconds = typeof value === 'string' && value.trim() ? Number(value) : value
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? seconds
    : undefined
}

/** The token response (RFC 6749 section 5.1) as a pair; no `refresh_token` keeps the current one. */
function toTokenPair(data: Json, answered: string): TokenPair {
  const { access_token: accessToken, refresh_token: refreshToken, id_token: idToken } = data
  const expiresIn = secondsOf(data.expires_in)
  const rotated = typeof refreshToken === 'string' && refreshToken !== ''
  // An answer with a rotated refresh token but no usable access token still goes to the session:
  // it keeps the new refresh token, where throwing here would lose it and the retry would present
  // the spent one, which the server takes for reuse and ends the session.
  if ((typeof accessToken !== 'string' || !accessToken) && !rotated) {
    throw new InvalidRefreshResponseError(
      `The token endpoint's answer holds no \`access_token\`: ${answered}. Check \`tokenEndpoint\`.`,
    )
  }
  return {
    accessToken: typeof accessToken === 'string' ? accessToken : '',
    ...(rotated && { refreshToken }),
    ...(expiresIn !== undefined && { expiresIn }),
    ...(typeof idToken === 'string' && idToken !== '' && { idToken }),
  }
}

/**
 * The refresh call of an OAuth 2.0 authorization server (RFC 6749 section 6: Keycloak, Auth0,
 * Okta...): a form-encoded `grant_type=refresh_token` POST to the token endpoint, on `fetch`. An
 * `invalid_grant` or `invalid_client` error ends the session; other failures are classified like
 * any refresh failure (`classifyRefreshFailure`). A response without `refresh_token` keeps the
 * current one. No error it throws holds a token.
 */
export function createOAuth2RefreshAdapter(options: OAuth2RefreshAdapterOptions): RefreshFn {
  const tokenEndpoint = checkEndpoint(options?.tokenEndpoint, 'tokenEndpoint')
  checkClient(options)
  const where = `POST ${pathOf(tokenEndpoint)}`
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : options.scope

  return async (refreshToken, context) => {
    if (!refreshToken) {
      throw new RefreshRejectedError(
        `There is no refresh token to send to ${where}: the session has ended; sign in again. If the server issued none, request the \`offline_access\` scope at sign-in.`,
      )
    }
    const { body, headers } = clientRequest(options, {
      ...options.extraParams,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      ...(scope && { scope }),
    })
    let response: Response
    let data: Json | null
    try {
      response = await (options.fetch ?? globalThis.fetch)(tokenEndpoint, {
        method: 'POST',
        headers,
        body,
        cache: 'no-store',
        signal: context?.signal,
      })
      data = await readJson(response)
    } catch (error) {
      throw classifyRefreshFailure(error, where)
    }
    const { status } = response
    const answered = `${where} answered ${status}`
    if (!response.ok) {
      // The shape `toHttpFailure` and `classifyRefreshFailure` read: never the response itself.
      const failure = {
        status,
        headers: response.headers,
        config: { method: 'POST', url: pathOf(tokenEndpoint) },
        data,
      }
      const code = typeof data?.error === 'string' ? data.error : undefined
      if (code && FINAL_ERRORS.has(code) && (status === 400 || status === 401)) {
        const cause = toHttpFailure(failure)
        const detail = cause.detail && cause.detail !== code ? ` (${cause.detail})` : ''
        throw new RefreshRejectedError(
          `Refresh was rejected with ${code}${detail}: ${answered}. The session has ended; sign in again.`,
          { cause, status },
        )
      }
      throw classifyRefreshFailure(failure, where)
    }
    if (!data) {
      throw new InvalidRefreshResponseError(
        `The token endpoint's answer is not a JSON object: ${answered}. Check \`tokenEndpoint\`.`,
      )
    }
    return toTokenPair(data, answered)
  }
}
