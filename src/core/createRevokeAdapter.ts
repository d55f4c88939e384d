import axios, { type AxiosAdapter } from 'axios'

export interface RevokeAdapterOptions {
  baseURL?: string
  /** Default `/api/v1/auth/logout`. */
  url?: string
  withCredentials?: boolean
  adapter?: AxiosAdapter
}

/** The contract's logout: POST with Bearer and `{ refresh_token }`; best effort, errors ignored. */
export function createRevokeAdapter(options: RevokeAdapterOptions = {}) {
  const client = axios.create({
    baseURL: options.baseURL,
    timeout: 10_000,
    withCredentials: options.withCredentials ?? false,
    adapter: options.adapter,
  })
  const url = options.url ?? '/api/v1/auth/logout'
  return async (tokens: { accessToken: string; refreshToken: string | null }): Promise<void> => {
    await client
      .post(url, tokens.refreshToken ? { refresh_token: tokens.refreshToken } : {}, {
        headers: { Authorization: `Bearer ${tokens.accessToken}` },
      })
      .catch(() => undefined)
  }
}
