import { InvalidRefreshResponseError, RefreshFailedError, type AuthKitError } from './errors'

/** A transient refresh failure, its message ending with what happens next (`note`). */
export function withRetryNote(
  error: AuthKitError,
  note: string,
  retryAfterMs: number,
): AuthKitError {
  if (error.code === 'INVALID_REFRESH_RESPONSE') {
    return new InvalidRefreshResponseError(error.message + note, { cause: error.cause })
  }
  if (error.code === 'REFRESH_FAILED') {
    return new RefreshFailedError(error.message + note, {
      cause: error.cause,
      status: (error as RefreshFailedError).status,
      retryAfterMs: retryAfterMs || undefined,
    })
  }
  return new RefreshFailedError(error.message + note, { cause: error })
}
