import { createTimeoutSignal } from './createTimeoutSignal'
import { joinURL } from './joinURL'

export interface RevokeAdapterOptions {
  baseURL?: string
  /** Default `/api/v1/auth/logout`. */
  url?: string
  withCredentials?: boolean
  /** The transport (tests, benchmarks, a platform's own fetch). Default: the global `fetch`, looked up on each call. */
  fetch?: typeof fetch
}

/** The contract's logout: POST with Bearer and `{ refresh_token }`; best effort, errors ignored, 10 s at most. */
export function createRevokeAdapter(options: RevokeAdapterOptions = {}) {
  const url = joinURL(options.baseURL, options.url ?? '/api/v1/auth/logout')
  return async (tokens: { accessToken: string; refreshToken: string | null }): Promise<void> => {
    const call = createTimeoutSignal(10_000)
    try {
      const send = options.fetch ?? globalThis.fetch
      const response = await send(url, {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Authorization: `Bearer ${tokens.accessToken}`,
        },
        body: JSON.stringify(tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}),
        credentials: options.withCredentials ? 'include' : 'same-origin',
        signal: call.signal,
      })
      void response.body?.cancel().catch(() => undefined)
    } catch {
      // best effort: the tokens are cleared locally whatever the server says
    } finally {
      call.clear()
    }
  }
}
