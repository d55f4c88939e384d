export type AuthKitErrorCode =
  | 'INVALID_TOKEN'
  | 'INVALID_REFRESH_RESPONSE'
  | 'REFRESH_REJECTED'
  | 'REFRESH_FAILED'
  | 'REFRESH_LOOP'
  | 'SESSION_ENDED'
  | 'NOT_AUTHENTICATED'
  | 'UNAUTHORIZED'
  | 'TIMEOUT'
  | 'USER_CHANGED'
  | 'INVALID_OPTION'

/** The base of every error the kit throws: a stable `code`, the original error in `cause`. */
export class AuthKitError extends Error {
  override name: string = 'AuthKitError'
  readonly code: AuthKitErrorCode

  constructor(code: AuthKitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}

/** A token that cannot be decoded, or whose expiry cannot be known. */
export class InvalidTokenError extends AuthKitError {
  override name = 'InvalidTokenError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_TOKEN', message, options)
  }
}

/** A refresh answer that holds no usable access token. */
export class InvalidRefreshResponseError extends AuthKitError {
  override name = 'InvalidRefreshResponseError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_REFRESH_RESPONSE', message, options)
  }
}

/** The server refused the refresh token: the session is over. */
export class RefreshRejectedError extends AuthKitError {
  override name = 'RefreshRejectedError' as const
  readonly status: number | undefined
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('REFRESH_REJECTED', message, options)
    this.status = options?.status
  }
}

/** A transient refresh failure (network, timeout, 5xx, 429): the session is kept and retried. */
export class RefreshFailedError extends AuthKitError {
  override name = 'RefreshFailedError' as const
  readonly status: number | undefined
  /** From a 429's `Retry-After`: the kit waits at least this long before the next attempt. */
  readonly retryAfterMs: number | undefined
  constructor(
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterMs?: number },
  ) {
    super('REFRESH_FAILED', message, options)
    this.status = options?.status
    this.retryAfterMs = options?.retryAfterMs
  }
}

/** Too many refreshes in a short time: the breaker stops the kit from hammering the server. */
export class RefreshLoopError extends AuthKitError {
  override name = 'RefreshLoopError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('REFRESH_LOOP', message, options)
  }
}

/** The session ended (logout, or a rejected refresh) while a request waited for it. */
export class SessionEndedError extends AuthKitError {
  override name = 'SessionEndedError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('SESSION_ENDED', message, options)
  }
}

/** No one is signed in. */
export class NotAuthenticatedError extends AuthKitError {
  override name = 'NotAuthenticatedError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_AUTHENTICATED', message, options)
  }
}

/** A request still answered 401 after one refresh and one retry. */
export class UnauthorizedError extends AuthKitError {
  override name = 'UnauthorizedError' as const
  readonly status = 401
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAUTHORIZED', message, options)
  }
}

/** A refresh, a held request or a lock wait took longer than its limit. */
export class AuthTimeoutError extends AuthKitError {
  override name = 'AuthTimeoutError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('TIMEOUT', message, options)
  }
}

/** A request held for re-sign-in was dropped because another user signed in. */
export class UserChangedError extends AuthKitError {
  override name = 'UserChangedError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('USER_CHANGED', message, options)
  }
}

/** An option the kit cannot use, reported when it is passed rather than on the first request. */
export class InvalidOptionError extends AuthKitError {
  override name = 'InvalidOptionError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTION', message, options)
  }
}

const names = new Set([
  'AuthKitError',
  'InvalidTokenError',
  'InvalidRefreshResponseError',
  'RefreshRejectedError',
  'RefreshFailedError',
  'RefreshLoopError',
  'SessionEndedError',
  'NotAuthenticatedError',
  'UnauthorizedError',
  'AuthTimeoutError',
  'UserChangedError',
  'InvalidOptionError',
])

/** True for any error of the kit, also across realms (page and extension), where `instanceof` fails. */
export function isAuthKitError(error: unknown): error is AuthKitError {
  if (error instanceof AuthKitError) return true
  return (
    typeof error === 'object' &&
    error !== null &&
    names.has((error as { name?: unknown }).name as string) &&
    typeof (error as { code?: unknown }).code === 'string'
  )
}
