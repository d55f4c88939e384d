import type { AuthState, RefreshMode } from './authModel'
import type { ControlOps, StateSnapshot } from './controlOps'
import type { StateStore } from './createStateStore'
import type { FailRefreshStatus } from './failRefreshStatus'

/** What `controls.configure` changes; tokens issued afterwards follow it. */
export interface AuthSettings {
  accessTtlSeconds?: number
  refreshTtlSeconds?: number
  /** Added before every answer of the instance's routes and `withAuth` handlers. */
  latencyMs?: number
  refreshMode?: RefreshMode
  reuseDetection?: boolean
  /** A rotated refresh token presented again within this many seconds is not reuse. */
  reuseGraceSeconds?: number
  /** Sliding mode: how long after its `exp` an access token may still be traded. */
  slidingWindowSeconds?: number
}

/** The test-side switches of one instance: plain async functions, no HTTP. */
export interface AuthControls {
  /** The config, the counters and the pending refresh failure, as `GET /__mock/state` shows them. */
  state(): Promise<StateSnapshot>
  /** Every access token issued so far is answered 401 `Token expired` from now on. */
  expireAccessTokens(): Promise<void>
  /** The next `count` (default 1) refreshes answer 401, 500, or drop the connection. */
  failNextRefresh(failure: { count?: number; status: FailRefreshStatus }): Promise<void>
  /** Ends every session: its refresh tokens and the access tokens issued with them. */
  revokeSessions(): Promise<void>
  /** Moves the instance's clock forward: tokens expire as if that time had passed. */
  advanceClock(seconds: number): Promise<void>
  configure(settings: AuthSettings): Promise<StateSnapshot>
  /** Back to the options: their users and settings, no sessions, counters at zero. */
  reset(): Promise<void>
}

export function createAuthControls<S extends AuthState>(
  store: StateStore<S>,
  ops: ControlOps<S>,
): AuthControls {
  const inTransaction = <T>(work: () => Promise<T>) => store.transaction(work)
  const scenario = (operation: string, run: Parameters<ControlOps<S>['runScenario']>[0]) =>
    inTransaction(async () => {
      await ops.runScenario(run, operation)
    })
  return {
    state: () => inTransaction(async () => ops.snapshot()),
    expireAccessTokens: () => scenario('expireAccessTokens', { expire_access_tokens: true }),
    failNextRefresh: ({ count = 1, status }) =>
      scenario('failNextRefresh', { fail_next_refresh: { count, status } }),
    revokeSessions: () => scenario('revokeSessions', { revoke_sessions: true }),
    advanceClock: (seconds) => scenario('advanceClock', { advance_clock_seconds: seconds }),
    configure: (settings) => inTransaction(() => ops.configure({ ...settings }, 'configure', 'js')),
    reset: () =>
      inTransaction(async () => {
        await ops.reset()
      }),
  }
}
