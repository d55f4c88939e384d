import { abortable } from './abortable'
import { createOriginPolicy, type AllowedOrigins } from './createOriginPolicy'
import { UnauthorizedError } from './errors'
import { toHttpFailure } from './HttpFailure'
import { isAuthCall } from './isAuthCall'
import { joinURL } from './joinURL'
import { readErrorResponse } from './readErrorResponse'
import type { AuthSession } from './types'

export interface AuthFetchOptions {
  /** The fetch to wrap. Default: the global `fetch`, looked up on each call. */
  fetch?: typeof fetch
  /**
   * Prefixes relative URLs (as axios's `baseURL` does), and its origin gets the token (the page's
   * when it is relative or absent). Default none.
   */
  baseURL?: string
  /**
   * Origins that get the token besides the `baseURL` origin: origin strings, RegExps tested against
   * the origin, or a predicate. A request to any other origin gets no token, and its 401 triggers
   * nothing. Default none.
   */
  allowedOrigins?: AllowedOrigins
  /** Which requests get a token and the refresh-and-retry. Default: all but login, register and refresh. */
  shouldIntercept?: (request: Request) => boolean
  /** How long a request waits for a refresh. Default 30 000. */
  holdTimeoutMs?: number
}

/** A `fetch` that carries the session's token: what `createAuthFetch` returns. */
export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

const pathOf = (url: string) => {
  try {
    return new URL(url).pathname
  } catch {
    return url.split(/[?#]/)[0] ?? ''
  }
}

// A body the app hands over as a stream is sent as it comes, never kept: keeping a copy for the
// retry would hold a whole upload in memory, which is what streaming it avoids.
const isStream = (body: unknown) =>
  typeof body === 'object' &&
  body !== null &&
  ((typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) ||
    Symbol.asyncIterator in body)

/**
 * A `fetch` with the interceptor's semantics, for fetch, ky (`ky.create({ fetch })`), ofetch and
 * TanStack Query: the token goes to allowed origins only; a request is held while the token is
 * known to be expired; a 401 triggers one shared refresh and one retry with the same body; a
 * second 401 rejects with `UnauthorizedError`. A request's `signal` is honoured while it waits.
 */
export function createAuthFetch(session: AuthSession, options: AuthFetchOptions = {}): AuthFetch {
  const holdTimeoutMs = options.holdTimeoutMs ?? 30_000
  const shouldIntercept =
    options.shouldIntercept ?? ((request: Request) => !isAuthCall(request.url))
  const allows = createOriginPolicy(options.allowedOrigins)
  const send = (request: Request) => (options.fetch ?? globalThis.fetch)(request)

  // The header value is built once per token, not once per request.
  let lastToken = ''
  let lastHeader = ''
  const withToken = (request: Request, token: string) => {
    if (token !== lastToken) lastHeader = `Bearer ${(lastToken = token)}`
    const headers = new Headers(request.headers)
    headers.set('Authorization', lastHeader)
    return new Request(request, { headers })
  }
  const tokenFor = (signal: AbortSignal, rejectedToken?: string) =>
    abortable(session.getAccessToken({ timeoutMs: holdTimeoutMs, rejectedToken }), signal)

  return async (input, init) => {
    const target =
      typeof input === 'string' || input instanceof URL
        ? joinURL(options.baseURL, String(input))
        : input
    const request = new Request(target, init)
    if (
      !shouldIntercept(request) ||
      !allows(request.url, options.baseURL) ||
      request.headers.has('Authorization')
    ) {
      return send(request)
    }
    const { signal, method } = request
    let token = session.peekAccessToken()
    if (token === null) {
      if (session.getState().status === 'anonymous') return send(request)
      try {
        token = await tokenFor(signal)
      } catch (error) {
        // It waited for a cookie session to resume, which found nobody signed in: sent as is.
        if (session.getState().status === 'anonymous' && !signal.aborted) return send(request)
        throw error
      }
    }
    const streamed = isStream(init?.body)
    const spare = request.body && !streamed ? request.clone() : request
    const first = await send(withToken(request, token))
    if (first.status !== 401) {
      if (spare !== request) void spare.body?.cancel().catch(() => undefined)
      return first
    }
    const what = `${method} ${pathOf(request.url)}`
    if (streamed) {
      const failure = toHttpFailure(await readErrorResponse(first, { method, url: request.url }))
      await tokenFor(signal, token)
      throw new UnauthorizedError(
        `${what} was answered 401 and not retried: its body is a stream, which can be sent only once. The session has been refreshed; send it again, or pass the body as a string, Blob, ArrayBuffer or FormData to have it retried.`,
        { cause: failure },
      )
    }
    void first.body?.cancel().catch(() => undefined)
    const fresh = await tokenFor(signal, token)
    session.noteRetried({ method, url: pathOf(request.url) })
    const second = await send(withToken(spare, fresh))
    if (second.status !== 401) return second
    throw new UnauthorizedError(
      `${what} was answered 401 again after a refresh and one retry: the server refuses this user or call, not the token's age. Check its permissions and the server's token validation.`,
      { cause: toHttpFailure(await readErrorResponse(second, { method, url: request.url })) },
    )
  }
}
