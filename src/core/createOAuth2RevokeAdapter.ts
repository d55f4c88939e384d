import { checkClient, checkEndpoint, clientRequest, type OAuth2ClientOptions } from './oauth2Client'
import { timeoutManager } from './timeoutManager'

export interface OAuth2RevokeAdapterOptions extends OAuth2ClientOptions {
  /** The authorization server's revocation endpoint (`revocation_endpoint` in its discovery document). */
  revocationEndpoint: string
  /**
   * Revoke the access token too. Default false: revoking the refresh token ends its grant's access
   * tokens on servers that support it (RFC 7009 section 2.1). Without a refresh token the access
   * token is revoked anyway.
   */
  revokeAccessToken?: boolean
  /** Gives up on each call after this long. Default 10 000. */
  timeoutMs?: number
}

/**
 * Revocation at logout (RFC 7009): the refresh token, then the access token if asked, each a
 * form-encoded POST with `token` and `token_type_hint`. Best effort: errors are ignored, because
 * the user is signed out here either way.
 */
export function createOAuth2RevokeAdapter(options: OAuth2RevokeAdapterOptions) {
  const revocationEndpoint = checkEndpoint(options?.revocationEndpoint, 'revocationEndpoint')
  checkClient(options)
  const timeoutMs = options.timeoutMs ?? 10_000

  const revoke = async (token: string, hint: 'refresh_token' | 'access_token') => {
    const controller = new AbortController()
    const timer = timeoutManager.setTimeout(() => controller.abort(), timeoutMs)
    try {
      const { body, headers } = clientRequest(options, { token, token_type_hint: hint })
      const response = await (options.fetch ?? globalThis.fetch)(revocationEndpoint, {
        method: 'POST',
        headers,
        body,
        cache: 'no-store',
        signal: controller.signal,
      })
      await response.body?.cancel()
    } catch {
      // best effort
    } finally {
      timeoutManager.clearTimeout(timer)
    }
  }

  return async (tokens: { accessToken: string; refreshToken: string | null }): Promise<void> => {
    if (tokens.refreshToken) await revoke(tokens.refreshToken, 'refresh_token')
    if (tokens.accessToken && (options.revokeAccessToken || !tokens.refreshToken)) {
      await revoke(tokens.accessToken, 'access_token')
    }
  }
}
