import { timeoutManager } from './timeoutManager'

/**
 * A signal that aborts when `parent` does or after `timeoutMs` (none when 0 or absent), on the kit's
 * timers so that tests drive it; `timedOut()` tells the two apart. Call `clear()` once the call ends.
 */
export function createTimeoutSignal(timeoutMs: number | undefined, parent?: AbortSignal | null) {
  const controller = new AbortController()
  let timedOut = false
  const onAbort = () => controller.abort(parent?.reason)
  if (parent?.aborted) onAbort()
  else parent?.addEventListener('abort', onAbort, { once: true })
  const timer =
    timeoutMs && timeoutMs > 0
      ? timeoutManager.setTimeout(() => {
          timedOut = true
          controller.abort(new DOMException(`No answer after ${timeoutMs} ms`, 'TimeoutError'))
        }, timeoutMs)
      : null
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear() {
      timeoutManager.clearTimeout(timer)
      parent?.removeEventListener('abort', onAbort)
    },
  }
}
