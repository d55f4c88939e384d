import type { HttpHandler } from 'msw'
import type { CreateAuthHandlersOptions } from './authOptions'
import type { AuthControls } from './createAuthControls'
import { createAuthInstance } from './createAuthInstance'
import type { PublicAuth } from './createPublicAuth'

export interface AuthHandlers extends PublicAuth {
  /** For `setupServer(...handlers)` or `setupWorker(...handlers)`, beside your own. */
  handlers: HttpHandler[]
  controls: AuthControls
}

/**
 * An auth backend for your tests on your own paths: real HS256 JWTs, rotating refresh tokens
 * with reuse detection, and controls to expire, revoke and break it. Each call has its own
 * state, in memory: two instances share nothing.
 */
export function createAuthHandlers(options: CreateAuthHandlersOptions): AuthHandlers {
  const { handlers, controls, authenticate, withAuth } = createAuthInstance(options)
  return { handlers, controls, authenticate, withAuth }
}
