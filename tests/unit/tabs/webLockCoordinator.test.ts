import { describe, expect, it } from 'vitest'
import {
  createMemoryStorage,
  createWebLockCoordinator,
  type LockManagerLike,
} from '../../../src/core'
import { advance, installFakeClock, settle } from '../core/support/harness'
import { createFakeLocks } from './support/fakes'

const KEY = 'token-refresh-kit'
const holdForever = () => new Promise<never>(() => {})

describe('createWebLockCoordinator', () => {
  it.each(['junk', '-2', '1.5'])(
    'takes turns on the first lock when the generation note reads %j',
    async (note) => {
      installFakeClock()
      const locks = createFakeLocks()
      const disk = createMemoryStorage()
      disk.setItem(`${KEY}:lock-generation`, note)
      let release = () => {}
      void locks.request(`${KEY}:refresh`, {}, () => new Promise<void>((done) => (release = done)))

      const ran = settle(
        createWebLockCoordinator(locks, disk).runExclusive(KEY, async () => 'ran', {
          timeoutMs: 5_000,
        }),
      )
      await advance(1_000, 100)
      expect(ran.done).toBe(false)
      release()
      await advance(100, 100)
      expect(ran.value).toBe('ran')
    },
  )

  it('runs anyway after a second timeout in a row, however many generations are held', async () => {
    installFakeClock()
    const locks = createFakeLocks()
    for (const lock of [`${KEY}:refresh`, `${KEY}:refresh:1`, `${KEY}:refresh:2`]) {
      void locks.request(lock, {}, holdForever)
    }

    const ran = settle(
      createWebLockCoordinator(locks).runExclusive(KEY, async () => 'ran', { timeoutMs: 5_000 }),
    )
    await advance(9_900, 100)
    expect(ran.done).toBe(false)
    await advance(200, 100)
    expect(ran.value).toBe('ran')
  })

  it('gives each generation’s holder the grace to note itself busy before it moves on', async () => {
    installFakeClock()
    const locks = createFakeLocks()
    void locks.request(`${KEY}:refresh`, {}, holdForever)
    void locks.request(`${KEY}:refresh:1`, {}, holdForever)

    // Two timeouts of 5 s, each followed by 2 s for a holder granted meanwhile to note itself.
    const ran = settle(
      createWebLockCoordinator(locks).runExclusive(KEY, async () => 'ran', {
        timeoutMs: 5_000,
        busyForMs: async () => 0,
      }),
    )
    await advance(13_900, 100)
    expect(ran.done).toBe(false)
    await advance(200, 100)
    expect(ran.value).toBe('ran')
  })

  it('gives a holder the grace to note itself even after the one before it was noted busy', async () => {
    installFakeClock()
    const locks = createFakeLocks()
    void locks.request(`${KEY}:refresh`, {}, holdForever)
    // The holder the wait began behind notes 500 ms more of work; then the lock passes to one
    // that has not noted itself yet.
    const notes = [500]
    const ran = settle(
      createWebLockCoordinator(locks).runExclusive(KEY, async () => 'ran', {
        timeoutMs: 5_000,
        busyForMs: async () => notes.shift() ?? 0,
      }),
    )
    // 5 s, then the note and 1 s more (6.5 s), then 2 s of grace: the lock moves on at 8.5 s.
    await advance(8_400, 100)
    expect(ran.done).toBe(false)
    await advance(200, 100)
    expect(ran.value).toBe('ran')
  })

  it('runs the work once when its lock is granted just as the wait times out and the work fails', async () => {
    installFakeClock()
    // The grant and the abort cross: the lock comes right after the waiter gave up on it.
    const late: LockManagerLike = {
      request: (_name, _options, callback) =>
        new Promise((resolve, reject) => {
          setTimeout(() => callback(null).then(resolve, reject), 5_000)
        }),
    }
    let runs = 0
    const failed = settle(
      createWebLockCoordinator(late).runExclusive(
        KEY,
        async () => {
          runs++
          throw new Error('refresh rejected')
        },
        { timeoutMs: 5_000 },
      ),
    )

    await advance(20_000, 1_000)

    expect((failed.error as Error).message).toBe('refresh rejected')
    expect(runs).toBe(1)
  })
})
