/** Runs one call at a time: a call made while one is in flight gets that call's promise. */
export function createSingleFlight<T>() {
  let inflight: Promise<T> | null = null
  return {
    run(fn: () => Promise<T>): Promise<T> {
      if (inflight) return inflight
      const promise: Promise<T> = Promise.resolve()
        .then(fn)
        .finally(() => {
          if (inflight === promise) inflight = null
        })
      inflight = promise
      return promise
    },
    current: (): Promise<T> | null => inflight,
  }
}
