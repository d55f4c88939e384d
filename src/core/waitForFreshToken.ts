import type { Refresher } from './createRefresher'
import { AuthTimeoutError } from './errors'
import { inSeconds } from './inSeconds'
import { sessionEndedError } from './sessionEndedError'
import type { SessionHost } from './SessionHost'
import { timeoutManager } from './timeoutManager'
import type { AuthState, RefreshReason } from './types'

/**
 * Waits up to `timeoutMs` for an access token other than `rejected`, starting a refresh unless
 * one runs or a backoff retry is pending. A Retry-After that ends within the wait is waited out
 * (the retry after it brings the token); one that outlasts it fails the wait at once.
 */
export function waitForFreshToken(
  { config, store, peek }: Pick<SessionHost, 'config' | 'store' | 'peek'>,
  refresher: Refresher,
  { timeoutMs, rejected, reason }: { timeoutMs: number; rejected?: string; reason: RefreshReason },
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const deadline = config.now() + timeoutMs
    let unsubscribe = () => {}
    const timer = timeoutManager.setTimeout(() => {
      const last = store.getState().error
      finish(
        new AuthTimeoutError(
          `No fresh access token within ${inSeconds(timeoutMs)}${last ? `: ${last.message}` : '.'}`,
          { cause: last },
        ),
      )
    }, timeoutMs)
    const finish = (error: Error | null, token?: string) => {
      timeoutManager.clearTimeout(timer)
      unsubscribe()
      if (error) reject(error)
      else resolve(token as string)
    }
    const settle = (state: AuthState) => {
      if (state.status === 'ended' || state.status === 'anonymous')
        return finish(sessionEndedError(state))
      const token = peek()
      if (token && token !== rejected) return finish(null, token)
      if (refresher.heldPast(deadline)) return finish(refresher.heldError())
      if (state.error?.code === 'REFRESH_LOOP' && refresher.paused()) finish(state.error)
    }
    unsubscribe = store.subscribe(settle)
    // An answer that cannot be used fails the wait at once: waiting on would only meet it again.
    refresher.refreshUnlessRetryPending(reason)?.catch((error: { code?: string }) => {
      if (refresher.heldPast(deadline)) finish(refresher.heldError())
      else if (error?.code === 'INVALID_REFRESH_RESPONSE') finish(error as Error)
    })
    settle(store.getState())
  })
}
