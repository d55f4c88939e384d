import { describe, expect, it } from 'vitest'
import { createLeaseCoordinator, createMemoryStorage } from '../../../src/core'
import { advance, installFakeClock, settle } from '../core/support/harness'

const KEY = 'token-refresh-kit'
const LEASE = `${KEY}:lease`

describe('createLeaseCoordinator', () => {
  it('waits for a lease another tab left only until the lease expires', async () => {
    installFakeClock()
    const disk = createMemoryStorage()
    disk.setItem(LEASE, JSON.stringify({ by: 'frozen', until: Date.now() + 1_000 }))

    const ran = settle(
      createLeaseCoordinator(disk).runExclusive(KEY, async () => 'ran', { timeoutMs: 10_000 }),
    )
    await advance(900, 50)
    expect(ran.done).toBe(false)
    await advance(400, 50)
    expect(ran.value).toBe('ran')
  })

  it('leaves the lease of a holder it stopped waiting for: the next tab waits for it too', async () => {
    installFakeClock()
    const disk = createMemoryStorage()
    disk.setItem(LEASE, JSON.stringify({ by: 'slow', until: Date.now() + 60_000 }))

    const first = settle(
      createLeaseCoordinator(disk).runExclusive(KEY, async () => 'first', { timeoutMs: 2_000 }),
    )
    await advance(2_200, 50)
    expect(first.value).toBe('first')
    const next = settle(
      createLeaseCoordinator(disk).runExclusive(KEY, async () => 'next', { timeoutMs: 2_000 }),
    )
    await advance(1_000, 50)
    expect(next.done).toBe(false)
  })

  it('leaves the lease of a tab that took over once its own expired mid-run', async () => {
    installFakeClock()
    const disk = createMemoryStorage()
    const slowWork = () => new Promise((done) => setTimeout(() => done('slow'), 3_000))
    const longWork = () => new Promise((done) => setTimeout(() => done('long'), 10_000))
    const lease = { leaseMs: 1_000 }

    const slow = settle(
      createLeaseCoordinator(disk, lease).runExclusive(KEY, slowWork, { timeoutMs: 20_000 }),
    )
    await advance(200, 50)
    // Its lease expires at about 1 s; the second tab takes the lease and works for 10 s.
    const long = settle(
      createLeaseCoordinator(disk, { leaseMs: 60_000 }).runExclusive(KEY, longWork, {
        timeoutMs: 20_000,
      }),
    )
    await advance(3_000, 50)
    expect(slow.value).toBe('slow')
    expect(long.done).toBe(false)

    const third = settle(
      createLeaseCoordinator(disk).runExclusive(KEY, async () => 'third', { timeoutMs: 20_000 }),
    )
    await advance(1_000, 50)
    expect(third.done).toBe(false)
  })
})
