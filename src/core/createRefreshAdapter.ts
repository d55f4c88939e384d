import axios, { type AxiosAdapter, type AxiosResponse } from 'axios'
import { classifyRefreshFailure } from './classifyRefreshFailure'
import { InvalidRefreshResponseError, isAuthKitError } from './errors'
import type { RefreshFn, TokenPair } from './types'

export interface RefreshAdapterOptions {
  /** Default: relative to the page. */
  baseURL?: string
  /** Default `/api/v1/auth/refresh`. */
  url?: string
  /** Default `post`. */
  method?: string
  /** The request body. Default `{ refresh_token }` (nothing when the token lives in a cookie). */
  body?: (refreshToken: string | null) => unknown
  headers?: Record<string, string>
  /** Send cookies, for a refresh token kept in an HttpOnly cookie. Default false. */
  withCredentials?: boolean
  /**
   * Aborts the call after this long. Default: none, because the session aborts it after its
   * `maxRefreshCallMs` (60 s): a shorter limit here would abandon a slow call that the server may
   * still complete, and the retry would present a refresh token the server has rotated.
   */
  timeoutMs?: number
  /** Maps any answer to a pair. Default: `access_token` (or `accessToken`, `token`), `refresh_token`, `expires_in`. */
  mapResponse?: (data: unknown, response: AxiosResponse) => TokenPair
  /** The axios adapter of the adapter's own instance (tests, benchmarks). */
  adapter?: AxiosAdapter
}

type Json = Record<string, unknown>

const pick = (data: Json, ...keys: string[]) => keys.map((key) => data[key]).find((v) => v != null)

/** Reads the contract's token response, and the common variants of it. */
export function mapTokenResponse(data: unknown): TokenPair {
  const json = data as Json
  const refreshToken = pick(json, 'refresh_token', 'refreshToken')
  const expiresIn = pick(json, 'expires_in', 'expiresIn')
  return {
    accessToken: pick(json, 'access_token', 'accessToken', 'token') as string,
    ...(typeof refreshToken === 'string' && { refreshToken }),
    ...(typeof expiresIn === 'number' && { expiresIn }),
  }
}

/**
 * The refresh call, on its own axios instance (never the intercepted one), with errors classified:
 * 400, 401, 403 and other 4xx reject the session; network errors, timeouts, 408, 429 and 5xx are
 * transient (see `classifyRefreshFailure`). The AxiosError is not kept as `cause`, because its
 * config holds the refresh token.
 */
export function createRefreshAdapter(options: RefreshAdapterOptions = {}): RefreshFn {
  const url = options.url ?? '/api/v1/auth/refresh'
  const method = (options.method ?? 'post').toUpperCase()
  const where = `${method} ${url}`
  const client = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? 0,
    withCredentials: options.withCredentials ?? false,
    headers: options.headers,
    adapter: options.adapter,
  })
  const body =
    options.body ?? ((refreshToken) => (refreshToken ? { refresh_token: refreshToken } : {}))
  const map = options.mapResponse ?? mapTokenResponse

  return async (refreshToken, context) => {
    let response: AxiosResponse
    try {
      response = await client.request({
        url,
        method,
        data: body(refreshToken),
        signal: context?.signal,
      })
    } catch (error) {
      throw classifyRefreshFailure(error, where)
    }
    const answered = `${where} answered ${response.status}`
    if (typeof response.data !== 'object' || response.data === null) {
      throw new InvalidRefreshResponseError(
        `The refresh answer is not JSON: ${answered}. Check \`url\` and \`baseURL\` of the refresh adapter.`,
      )
    }
    let pair: TokenPair
    try {
      pair = map(response.data, response)
    } catch (error) {
      if (isAuthKitError(error)) throw error
      throw new InvalidRefreshResponseError(
        `mapResponse threw on the refresh answer: ${answered}. Fix it to return { accessToken, refreshToken, expiresIn }.`,
        { cause: error },
      )
    }
    if (typeof pair?.accessToken !== 'string' || !pair.accessToken) {
      throw new InvalidRefreshResponseError(
        `The refresh answer holds no access token: ${answered}. Pass mapResponse to read its shape.`,
      )
    }
    return pair
  }
}
