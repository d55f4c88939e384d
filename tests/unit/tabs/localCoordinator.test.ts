import { describe, expect, it } from 'vitest'
import { createLocalCoordinator } from '../../../src/core'
import { advance, installFakeClock, settle } from '../core/support/harness'

describe('createLocalCoordinator', () => {
  it('runs the callers of one name one at a time, each as soon as the one before finishes', async () => {
    installFakeClock()
    const coordinator = createLocalCoordinator()
    let running = 0
    let most = 0
    const order: number[] = []
    const work = (n: number) => async () => {
      running++
      most = Math.max(most, running)
      await new Promise((done) => setTimeout(done, 100))
      running--
      order.push(n)
    }
    const run = (n: number) => settle(coordinator.runExclusive('k', work(n), { timeoutMs: 5_000 }))

    const early = [1, 2, 3].map(run)
    // The first has finished, the second runs, the third waits: a fourth joins the queue.
    await advance(150, 50)
    const late = run(4)
    await advance(300, 50)

    expect([...early, late].every((call) => call.done)).toBe(true)
    expect(order).toEqual([1, 2, 3, 4])
    expect(most).toBe(1)
  })

  it('lets a waiter run after timeoutMs when the holder never finishes', async () => {
    installFakeClock()
    const coordinator = createLocalCoordinator()
    void coordinator.runExclusive('k', () => new Promise<never>(() => {}), { timeoutMs: 5_000 })

    const next = settle(coordinator.runExclusive('k', async () => 'ran', { timeoutMs: 5_000 }))
    await advance(4_900, 100)
    expect(next.done).toBe(false)
    await advance(200, 100)
    expect(next.value).toBe('ran')
  })
})
