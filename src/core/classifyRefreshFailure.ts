import { AuthKitError, RefreshFailedError, RefreshRejectedError, isAuthKitError } from './errors'
import { HttpFailure, httpStatusOf, toHttpFailure } from './HttpFailure'

// A server may ask for an hour; a longer (or absurd) value is read as an hour, so that a bad
// header cannot stop refreshing for days.
const MAX_RETRY_AFTER_MS = 3_600_000

/** Seconds or an HTTP date, capped at an hour; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined
}

/** A response header from anything thrown: axios (plain or AxiosHeaders), fetch and ky (`Headers`). */
function headerOf(error: unknown, name: string): unknown {
  const value = error as { response?: { headers?: unknown }; headers?: unknown } | null
  const headers = value?.response?.headers ?? value?.headers
  if (typeof headers !== 'object' || headers === null) return undefined
  const get = (headers as { get?: unknown }).get
  if (typeof get === 'function') {
    try {
      return get.call(headers, name) ?? undefined
    } catch {
      return undefined
    }
  }
  const plain = headers as Record<string, unknown>
  return plain[name.toLowerCase()] ?? plain[name]
}

const isAbort = (error: unknown) => {
  const name = (error as { name?: unknown } | null)?.name
  const code = (error as { code?: unknown } | null)?.code
  return name === 'AbortError' || name === 'CanceledError' || code === 'ERR_CANCELED'
}

/** Keeps an error the kit stores free of secrets: a cause that is not ours becomes an `HttpFailure`. */
export function scrubCause<T extends AuthKitError>(error: T): T {
  const { cause } = error
  if (cause === undefined || cause === null || cause instanceof HttpFailure) return error
  if (isAuthKitError(cause)) {
    scrubCause(cause)
    return error
  }
  Object.defineProperty(error, 'cause', {
    value: toHttpFailure(cause),
    writable: true,
    configurable: true,
    enumerable: false,
  })
  return error
}

/**
 * What a refresh failure means, from anything a refresh function may throw. A `RefreshRejectedError`,
 * or an HTTP status of 400, 401, 403 or another 4xx but 408 and 429, ends the session; a network
 * error, an abort, 408, 429 and 5xx are transient (429 and 503 with their `Retry-After`). The
 * original error is never kept: its config, headers or body may hold the refresh token.
 */
export function classifyRefreshFailure(error: unknown, where?: string): AuthKitError {
  if (isAuthKitError(error)) return scrubCause(error)
  const cause = toHttpFailure(error)
  const at =
    where ?? ([cause.method, cause.path].filter(Boolean).join(' ') || 'the refresh function')
  const status = httpStatusOf(error)
  if (isAbort(error)) return new RefreshFailedError(`Refresh was aborted: ${at}.`, { cause })
  if (status === undefined) {
    const code = (error as { code?: unknown } | null)?.code
    // An HTTP client's error without an answer: axios (`isAxiosError`), Node (`code`), fetch (a
    // TypeError, "Failed to fetch").
    const client = (error as { isAxiosError?: unknown } | null)?.isAxiosError === true
    if (client || typeof code === 'string' || error instanceof TypeError) {
      const why = typeof code === 'string' ? code : (cause.detail ?? 'no answer')
      return new RefreshFailedError(`Refresh failed with a network error (${why}): ${at}.`, {
        cause,
      })
    }
    return new RefreshFailedError(
      `The refresh function threw without an HTTP status (${cause.detail ?? 'no message'}); treated as transient: ${at}.`,
      { cause },
    )
  }
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(headerOf(error, 'Retry-After'))
    const what = status === 429 ? 'was rate limited (429)' : 'failed with status 503'
    return new RefreshFailedError(`Refresh ${what}: ${at}.`, { cause, status, retryAfterMs })
  }
  if (status >= 500 || status === 408 || status < 400) {
    return new RefreshFailedError(`Refresh failed with status ${status}: ${at}.`, {
      cause,
      status,
    })
  }
  return new RefreshRejectedError(
    `Refresh was rejected with status ${status}: ${at}. The session has ended; sign in again.`,
    { cause, status },
  )
}
