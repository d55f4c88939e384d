interface Entry<R> {
  at: number
  /** The share of the window's allowance this call used: 1 / the limit in force when it was made. */
  weight: number
  reason: R
}

// Weights are sums of fractions such as 1/24: compare with a little slack.
const EPSILON = 1e-9

/**
 * Counts calls in a sliding window. Each call is judged by the limit that applied when it was
 * made: a call under a limit of 20 uses 1/20 of the window, so twenty 5 s refreshes followed by a
 * switch to 300 s tokens (limit 10) do not trip the breaker on the first refresh after the switch.
 */
export function createBreaker<R = string>(now: () => number, windowMs = 60_000) {
  let entries: Entry<R>[] = []
  const prune = () => {
    const since = now() - windowMs
    entries = entries.filter((entry) => entry.at > since)
  }
  const used = () => entries.reduce((sum, entry) => sum + entry.weight, 0)
  const isOpen = (limit: number) => {
    prune()
    return used() + 1 / limit > 1 + EPSILON
  }
  return {
    isOpen,
    /** Records a call and returns true, or returns false when the window is full. */
    tryAcquire(limit: number, reason: R): boolean {
      if (isOpen(limit)) return false
      entries.push({ at: now(), weight: 1 / limit, reason })
      return true
    },
    /** Milliseconds until one more call under `limit` is allowed. */
    reopensInMs(limit: number): number {
      if (!isOpen(limit)) return 0
      let left = used()
      for (const entry of entries) {
        left -= entry.weight
        if (left + 1 / limit <= 1 + EPSILON) return entry.at + windowMs - now()
      }
      return windowMs
    },
    /** The calls in the window, by reason, most frequent first. */
    reasons(): { reason: R; count: number }[] {
      prune()
      const counts = new Map<R, number>()
      for (const { reason } of entries) counts.set(reason, (counts.get(reason) ?? 0) + 1)
      return [...counts]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count)
    },
    /** Calls in the window. */
    count(): number {
      prune()
      return entries.length
    },
    reset(): void {
      entries = []
    },
  }
}
