import { RefreshFailedError } from './errors'
import { inSeconds } from './inSeconds'
import { timeoutManager } from './timeoutManager'
import type { RefreshFn, TokenPair } from './types'

/** The refresh call itself, aborted only after `maxCallMs`: a slow answer is still adopted. */
export function callRefresh(
  refreshFn: RefreshFn,
  refreshToken: string | null,
  accessToken: string | null,
  maxCallMs: number,
): Promise<TokenPair> {
  return new Promise<TokenPair>((resolve, reject) => {
    const controller = new AbortController()
    const timer = timeoutManager.setTimeout(() => {
      controller.abort()
      reject(
        new RefreshFailedError(
          `Refresh had no answer after ${inSeconds(maxCallMs)} and was aborted.`,
        ),
      )
    }, maxCallMs)
    Promise.resolve()
      .then(() => refreshFn(refreshToken, { signal: controller.signal, accessToken }))
      .then(resolve, reject)
      .finally(() => timeoutManager.clearTimeout(timer))
  })
}
