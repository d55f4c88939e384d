import { describe, expect, it } from 'vitest'
import { createRefreshHold } from '../../../src/core/createRefreshHold'
import { RefreshFailedError } from '../../../src/core/errors'
import { createMapKeyValueStore } from './support/createMapKeyValueStore'

const KEY = 'trk'
const HOLD_KEY = `${KEY}:refresh-held-until`
const throttled = (seconds: number) =>
  new RefreshFailedError('429', { retryAfterMs: seconds * 1000 })

/** Two tabs' holds over one note store, on a clock the test moves. */
function twoTabs() {
  let time = 1_000_000
  const notes = createMapKeyValueStore()
  const now = () => time
  return {
    notes,
    here: createRefreshHold(now, notes, KEY),
    there: createRefreshHold(now, notes, KEY),
    wait: (ms: number) => void (time += ms),
    now,
  }
}

describe('createRefreshHold: Retry-After for every trigger and every tab', () => {
  it('holds for the Retry-After, tells how long is left, and ends exactly then', async () => {
    const { here, wait } = twoTabs()
    await here.note(throttled(30))
    expect(here.isHeld()).toBe(true)
    wait(10_000)
    const error = here.heldError()
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(error.retryAfterMs).toBe(20_000)
    expect(error.message).toMatch(/the next attempt is allowed in 20 s/)
    wait(19_999)
    expect(here.isHeld()).toBe(true)
    wait(1)
    expect(here.isHeld()).toBe(false)
  })

  it('holds nothing for a failure without Retry-After, and a shorter one never shortens a hold', async () => {
    const { here, notes, now } = twoTabs()
    await here.note(new RefreshFailedError('503'))
    await here.note(throttled(0))
    expect(here.isHeld()).toBe(false)
    expect(await notes.get(HOLD_KEY)).toBeNull()

    await here.note(throttled(60))
    await here.note(throttled(5))
    expect(here.heldError().retryAfterMs).toBe(60_000)
    expect(await notes.get(HOLD_KEY)).toBe(String(now() + 60_000))
  })

  it('outlasts a deadline it reaches, not one past it', async () => {
    const { here, now } = twoTabs()
    await here.note(throttled(30))
    expect(here.outlasts(now() + 30_000)).toBe(true)
    expect(here.outlasts(now() + 30_001)).toBe(false)
  })

  it('holds another tab inside the lock until the same moment, and not once it has passed', async () => {
    const { here, there, wait } = twoTabs()
    await here.note(throttled(30))
    wait(5_000)
    const error = await there.throwIfHeldElsewhere().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect((error as RefreshFailedError).retryAfterMs).toBe(25_000)
    expect(there.isHeld()).toBe(true)

    wait(25_000)
    await expect(there.throwIfHeldElsewhere()).resolves.toBeUndefined()
  })

  it('a token from anywhere ends the hold here; only a sign-in here ends it for the other tabs', async () => {
    const { here, there, notes } = twoTabs()
    await here.note(throttled(30))
    here.release(false)
    expect(here.isHeld()).toBe(false)
    await expect(there.throwIfHeldElsewhere()).rejects.toBeInstanceOf(RefreshFailedError)

    there.release(true)
    await Promise.resolve()
    expect(await notes.get(HOLD_KEY)).toBeNull()
    await expect(here.throwIfHeldElsewhere()).resolves.toBeUndefined()
  })
})
