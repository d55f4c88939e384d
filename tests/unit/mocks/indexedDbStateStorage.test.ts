import { IDBFactory } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { apiRoute } from '../../../mocks/apiRoute'
import { configureMock, getMockState } from '../../../mocks/control'
import { db, setMockStorage } from '../../../mocks/db'
import { HttpError } from '../../../mocks/httpErrors'
import { createIndexedDbStateStorage, MOCK_DB_NAME } from '../../../mocks/indexedDbStateStorage'
import { MockStorageBusyError, type MockStorage } from '../../../mocks/mockStorage'
import { createFakeLockManager } from './support/createFakeLockManager'

/** One origin: an IndexedDB and a lock manager that several tabs (storages) share. */
function origin() {
  const indexedDB = new IDBFactory()
  const locks = createFakeLockManager()
  return {
    locks,
    indexedDB,
    openTab: (lockTimeoutMs?: number) =>
      createIndexedDbStateStorage({ indexedDB, locks, lockTimeoutMs }),
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

async function requestsCounted(tab: MockStorage): Promise<number> {
  return tab.transaction(async () => tab.load()!.counters.requests)
}

function health(): Request {
  return new Request('http://mock.test/api/v1/auth/health')
}

describe('the mock database in IndexedDB', () => {
  const restores: Array<() => void> = []
  afterEach(() => restores.splice(0).forEach((restore) => restore()))

  it('is seen by another tab and by a reload, with passwords hashed', async () => {
    const site = origin()
    restores.push(setMockStorage(site.openTab()))
    await db.transaction(async () => {
      await configureMock({ access_ttl_seconds: 10 })
    })

    const reloaded = site.openTab()
    const stored = await reloaded.transaction(async () => reloaded.load())
    expect(stored?.config.access_ttl_seconds).toBe(10)
    expect(stored?.users[0]?.password.hash).toBeTypeOf('string')
    expect(JSON.stringify(stored)).not.toContain('admin123')
  })

  it('loses no write when tabs read, await and write back at the same time', async () => {
    const site = origin()
    const tabs = [site.openTab(), site.openTab(), site.openTab()]
    restores.push(setMockStorage(tabs[0]!))
    await db.transaction(async () => db.reset())

    // Each request reads, awaits (as a handler awaits signing or a body), then writes.
    const bump = (tab: MockStorage) =>
      tab.transaction(async () => {
        const state = tab.load()!
        const seen = state.counters.requests
        await tick()
        state.counters.requests = seen + 1
        tab.save(state)
      })
    await Promise.all(Array.from({ length: 60 }, (_, i) => bump(tabs[i % tabs.length]!)))

    expect(await requestsCounted(tabs[1]!)).toBe(60)
  })

  it('keeps what a request changed before it failed', async () => {
    const site = origin()
    const tab = site.openTab()
    restores.push(setMockStorage(tab))
    await db.transaction(async () => db.reset())

    const failing = apiRoute(async () => {
      throw new HttpError(409, 'Conflict on purpose')
    })
    const response = await failing({ request: health(), params: {} })

    expect(response.status).toBe(409)
    expect(await requestsCounted(site.openTab())).toBe(1)
  })

  it('reseeds a state stored in another shape', async () => {
    const site = origin()
    const tab = site.openTab()
    restores.push(setMockStorage(tab))
    await db.transaction(async () => {
      db.update((state) => {
        ;(state as unknown as { version: number }).version = 2
        state.counters.logins = 7
      })
    })

    const state = await db.transaction(async () => getMockState())
    expect(state.counters.logins).toBe(0)
  })

  it('refuses a read outside a transaction, naming the fix', async () => {
    restores.push(setMockStorage(origin().openTab()))
    await db.ready()
    expect(() => db.read()).toThrow(
      '[token-refresh-kit mocks] the mock database was used outside a transaction: wrap the handler in apiRoute() or controlRoute()',
    )
  })

  it('answers 503 when another tab holds the database past the wait, and recovers after', async () => {
    const site = origin()
    restores.push(setMockStorage(site.openTab(50)))
    let release = () => {}
    const held = site.locks.request(
      MOCK_DB_NAME,
      () => new Promise<void>((resolve) => (release = resolve)),
    )
    const route = apiRoute(async () => new Response('ok'))

    const busy = await route({ request: health(), params: {} })
    expect(busy.status).toBe(503)
    expect(busy.headers.get('retry-after')).toBe('1')
    expect((await busy.json()).detail).toBe(new MockStorageBusyError(50).message)

    release()
    await held
    expect((await route({ request: health(), params: {} })).status).toBe(200)
  })

  it('keeps the configured latency outside the lock, so tabs do not queue behind it', async () => {
    const site = origin()
    const tabs = [site.openTab(), site.openTab()]
    restores.push(setMockStorage(tabs[0]!))
    await db.transaction(async () => {
      await configureMock({ latency_ms: 300 })
    })
    const route = apiRoute(async () => new Response('ok'))

    const startedAt = Date.now()
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => route({ request: health(), params: {} })),
    )
    const elapsed = Date.now() - startedAt

    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200))
    // One after the other they would take 8 x 300 ms; side by side, one latency and a little.
    expect(elapsed).toBeLessThan(1_200)
    expect(await requestsCounted(tabs[1]!)).toBe(8)
  })
})
