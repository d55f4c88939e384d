import { classifyRefreshFailure } from './classifyRefreshFailure'
import { createTimeoutSignal } from './createTimeoutSignal'
import { InvalidRefreshResponseError, isAuthKitError } from './errors'
import { joinURL } from './joinURL'
import { readErrorResponse } from './readErrorResponse'
import { toFetchBody } from './toFetchBody'
import type { RefreshFn, TokenPair } from './types'

export interface RefreshAdapterOptions {
  /** Default: relative to the page. */
  baseURL?: string
  /** Default `/api/v1/auth/refresh`. */
  url?: string
  /** Default `post`. */
  method?: string
  /**
   * The request body: an object is sent as JSON; a string, `URLSearchParams`, `FormData` or `Blob`
   * as it is. Default `{ refresh_token }` (`{}` when the token lives in a cookie).
   */
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
  mapResponse?: (data: unknown, response: Response) => TokenPair
  /** The transport (tests, benchmarks, a platform's own fetch). Default: the global `fetch`, looked up on each call. */
  fetch?: typeof fetch
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
 * The refresh call, on `fetch` (never an intercepted client), with errors classified: 400, 401,
 * 403 and other 4xx reject the session; network errors, timeouts, 408, 429 and 5xx are transient
 * (see `classifyRefreshFailure`). Neither the request nor the failed answer is kept as `cause`: the
 * request holds the refresh token.
 */
export function createRefreshAdapter(options: RefreshAdapterOptions = {}): RefreshFn {
  const url = joinURL(options.baseURL, options.url ?? '/api/v1/auth/refresh')
  const method = (options.method ?? 'post').toUpperCase()
  const where = `${method} ${options.url ?? '/api/v1/auth/refresh'}`
  const body =
    options.body ?? ((refreshToken) => (refreshToken ? { refresh_token: refreshToken } : {}))
  const map = options.mapResponse ?? mapTokenResponse

  return async (refreshToken, context) => {
    const payload = method === 'GET' || method === 'HEAD' ? {} : toFetchBody(body(refreshToken))
    const headers = new Headers({ Accept: 'application/json' })
    if (payload.contentType) headers.set('Content-Type', payload.contentType)
    new Headers(options.headers).forEach((value, name) => headers.set(name, value))
    const call = createTimeoutSignal(options.timeoutMs, context?.signal)
    let response: Response
    let text: string
    try {
      const send = options.fetch ?? globalThis.fetch
      response = await send(url, {
        method,
        headers,
        body: payload.body ?? null,
        credentials: options.withCredentials ? 'include' : 'same-origin',
        signal: call.signal,
      })
      if (!response.ok) throw await readErrorResponse(response, { method, url })
      text = await response.text()
    } catch (error) {
      throw classifyRefreshFailure(
        call.timedOut()
          ? Object.assign(new Error(`no answer after ${options.timeoutMs} ms`), {
              code: 'ETIMEDOUT',
            })
          : error,
        where,
      )
    } finally {
      call.clear()
    }
    const answered = `${where} answered ${response.status}`
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch {
      data = undefined
    }
    if (typeof data !== 'object' || data === null) {
      throw new InvalidRefreshResponseError(
        `The refresh answer is not JSON: ${answered}. Check \`url\` and \`baseURL\` of the refresh adapter.`,
      )
    }
    let pair: TokenPair
    try {
      pair = map(data, response)
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
