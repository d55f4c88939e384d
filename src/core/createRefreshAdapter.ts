import axios, { type AxiosAdapter, type AxiosResponse } from 'axios'
import {
  InvalidRefreshResponseError,
  RefreshFailedError,
  RefreshRejectedError,
  isAuthKitError,
} from './errors'
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
  /** Default 10 000. */
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

/** Seconds or an HTTP date, capped at 5 minutes; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now()
  return Number.isFinite(ms) ? Math.min(300_000, Math.max(0, ms)) : undefined
}

/**
 * The refresh call, on its own axios instance (never the intercepted one), with errors classified:
 * 400, 401, 403 and other 4xx reject the session; network errors, timeouts, 408, 429 and 5xx are
 * transient. The AxiosError is not kept as `cause`, because its config holds the refresh token.
 */
export function createRefreshAdapter(options: RefreshAdapterOptions = {}): RefreshFn {
  const url = options.url ?? '/api/v1/auth/refresh'
  const method = (options.method ?? 'post').toUpperCase()
  const where = `${method} ${url}`
  const client = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? 10_000,
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
      throw classify(error, where)
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

function classify(error: unknown, where: string) {
  if (!axios.isAxiosError(error)) {
    return new RefreshFailedError(`Refresh failed: ${where}.`, { cause: error })
  }
  const status = error.response?.status
  const cause = new Error(`${error.code ?? 'ERR'}: ${error.message}`)
  if (status === undefined) {
    const what = axios.isCancel(error)
      ? 'was aborted'
      : `failed with a network error (${error.code ?? error.message})`
    return new RefreshFailedError(`Refresh ${what}: ${where}.`, { cause })
  }
  if (status === 429) {
    return new RefreshFailedError(`Refresh was rate limited (429): ${where}.`, {
      cause,
      status,
      retryAfterMs: parseRetryAfter(error.response?.headers?.['retry-after']),
    })
  }
  if (status >= 500 || status === 408) {
    return new RefreshFailedError(`Refresh failed with status ${status}: ${where}.`, {
      cause,
      status,
    })
  }
  return new RefreshRejectedError(
    `Refresh was rejected with status ${status}: ${where}. The session has ended; sign in again.`,
    { cause, status },
  )
}
