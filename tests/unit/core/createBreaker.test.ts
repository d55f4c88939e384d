import { describe, expect, it } from 'vitest'
import { createBreaker } from '../../../src/core/createBreaker'

/** A breaker on a clock the test moves. */
function breakerAt(start = 1_000_000) {
  let time = start
  const breaker = createBreaker<string>(() => time)
  return { breaker, at: (ms: number) => void (time = start + ms) }
}

describe('createBreaker: the loop breaker’s sliding window', () => {
  it('allows `limit` calls in the window, refuses the next, and starts empty', () => {
    const { breaker } = breakerAt()
    expect(breaker.count()).toBe(0)
    expect(breaker.isOpen(3)).toBe(false)
    expect([1, 2, 3].map(() => breaker.tryAcquire(3, 'x'))).toEqual([true, true, true])
    expect(breaker.isOpen(3)).toBe(true)
    expect(breaker.tryAcquire(3, 'x')).toBe(false)
    // A refused call is not counted.
    expect(breaker.count()).toBe(3)
  })

  it('lets a call leave the window exactly 60 s after it was made, not a millisecond before', () => {
    const { breaker, at } = breakerAt()
    breaker.tryAcquire(1, 'x')
    at(59_999)
    expect(breaker.isOpen(1)).toBe(true)
    expect(breaker.count()).toBe(1)
    at(60_000)
    expect(breaker.isOpen(1)).toBe(false)
    expect(breaker.count()).toBe(0)
  })

  it('says when the next call is allowed: when the oldest call that makes room leaves the window', () => {
    const { breaker, at } = breakerAt()
    expect(breaker.reopensInMs(2)).toBe(0)
    breaker.tryAcquire(2, 'x')
    at(10_000)
    breaker.tryAcquire(2, 'x')
    at(25_000)
    // Full: the first call, made at 0, leaves at 60 s, 35 s from now.
    expect(breaker.reopensInMs(2)).toBe(35_000)
    at(60_000)
    expect(breaker.reopensInMs(2)).toBe(0)
    expect(breaker.tryAcquire(2, 'x')).toBe(true)
    // Full again: the call made at 10 s leaves at 70 s.
    expect(breaker.reopensInMs(2)).toBe(10_000)
  })

  it('weighs each call by the limit it was made under: a stricter limit later needs more to leave', () => {
    const { breaker, at } = breakerAt()
    // Four calls under a limit of 4 fill the window; under a limit of 2 each is worth half of it.
    for (const ms of [0, 1_000, 2_000, 3_000]) {
      at(ms)
      breaker.tryAcquire(4, 'x')
    }
    at(5_000)
    expect(breaker.isOpen(2)).toBe(true)
    // One more under 2 needs half the window free: the calls made at 0 and 1 s must leave.
    expect(breaker.reopensInMs(2)).toBe(61_000 - 5_000)
    expect(breaker.reopensInMs(4)).toBe(60_000 - 5_000)
  })

  it('counts the calls in the window by reason, most frequent first, and forgets them on reset', () => {
    const { breaker, at } = breakerAt()
    for (const reason of ['focus', 'manual', 'manual', 'unauthorized', 'manual', 'focus']) {
      breaker.tryAcquire(10, reason)
    }
    expect(breaker.reasons()).toEqual([
      { reason: 'manual', count: 3 },
      { reason: 'focus', count: 2 },
      { reason: 'unauthorized', count: 1 },
    ])
    at(60_000)
    expect(breaker.reasons()).toEqual([])
    breaker.tryAcquire(10, 'focus')
    breaker.reset()
    expect(breaker.count()).toBe(0)
    expect(breaker.reasons()).toEqual([])
  })
})
