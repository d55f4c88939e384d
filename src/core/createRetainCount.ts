/**
 * Counts the hosts that use a session: the first `retain()` starts it, the release of the last
 * stops it. StrictMode mounts, unmounts and mounts again in one go: the stop is deferred by a
 * microtask, so that this flap neither stops nor restarts the scheduler.
 */
export function createRetainCount(start: () => void, stop: () => void): () => () => void {
  let count = 0
  let stopPending = false
  return () => {
    count += 1
    if (stopPending) stopPending = false
    else if (count === 1) start()
    let released = false
    return () => {
      if (released) return
      released = true
      count -= 1
      if (count > 0) return
      stopPending = true
      queueMicrotask(() => {
        if (!stopPending) return
        stopPending = false
        stop()
      })
    }
  }
}
