import { SessionEndedError } from './errors'
import type { AuthState } from './types'

/** What a caller of an ended session is told: why it ended, and to sign in again. */
export function sessionEndedError({ endReason, error }: AuthState): SessionEndedError {
  return new SessionEndedError(
    `The session has ended (${endReason ?? 'signed out'}); sign in again to continue.`,
    { cause: error },
  )
}
