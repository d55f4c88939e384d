import { timeoutManager } from './timeoutManager'
import type { RefreshCoordinator } from './types'

/** Waits for `promise`, or for `timeoutMs`, whichever comes first; never rejects. */
export function settleWithin(promise: Promise<unknown>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = timeoutManager.setTimeout(resolve, timeoutMs)
    const done = () => {
      timeoutManager.clearTimeout(timer)
      resolve()
    }
    promise.then(done, done)
  })
}

/** An in-process mutex per name: sessions of one page (or one test) take turns refreshing. */
export function createLocalCoordinator(): RefreshCoordinator {
  const tails = new Map<string, Promise<unknown>>()
  return {
    async runExclusive(name, fn, { timeoutMs }) {
      const previous = tails.get(name) ?? Promise.resolve()
      let release = () => {}
      const mine = new Promise<void>((resolve) => (release = resolve))
      const tail = previous.then(() => mine)
      tails.set(name, tail)
      // A holder that never finishes cannot block the others: after the wait limit they run anyway.
      await settleWithin(previous, timeoutMs)
      try {
        return await fn()
      } finally {
        release()
        if (tails.get(name) === tail) tails.delete(name)
      }
    },
  }
}
