import { RefreshFailedError } from './errors'
import { inSeconds } from './inSeconds'
import { timeoutManager } from './timeoutManager'

/** What a caller of `refresh()` waits: at most `timeoutMs`, while the call goes on. */
export function waitAtMost(
  flight: Promise<string>,
  timeoutMs: number,
  maxCallMs: number,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = timeoutManager.setTimeout(
      () =>
        reject(
          new RefreshFailedError(
            `Refresh has had no answer for ${inSeconds(timeoutMs)}. The session is kept: the call goes on and its answer is used when it comes (it is aborted after ${inSeconds(maxCallMs)}).`,
          ),
        ),
      timeoutMs,
    )
    flight.then(resolve, reject).finally(() => timeoutManager.clearTimeout(timer))
  })
}
