/** Counts calls in a sliding window; refuses more than `limit` of them. */
export function createBreaker(now: () => number, windowMs = 60_000) {
  let times: number[] = []
  const prune = () => {
    const since = now() - windowMs
    times = times.filter((time) => time > since)
  }
  const isOpen = (limit: number) => {
    prune()
    return times.length >= limit
  }
  return {
    isOpen,
    /** Records a call and returns true, or returns false when the window is full. */
    tryAcquire(limit: number): boolean {
      if (isOpen(limit)) return false
      times.push(now())
      return true
    },
    /** Milliseconds until one more call is allowed. */
    reopensInMs(limit: number): number {
      return isOpen(limit) ? (times[times.length - limit] ?? 0) + windowMs - now() : 0
    },
    reset(): void {
      times = []
    },
  }
}
