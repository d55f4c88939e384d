import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { createIndexedDbStore, createMemoryStorage, type TokenStorage } from '../../../src/core'
import { flush, settle } from '../core/support/harness'
import { countingIndexedDb } from './support/fakes'

/** An IndexedDB whose `open` never answers, as Safari's has been seen to on a first load. */
const hungIndexedDb = () => ({ open: () => ({}) }) as unknown as IDBFactory

/** `indexedDB`, with `wrap` applied to every transaction its connections start. */
const wrapTransactions = (indexedDB: IDBFactory, wrap: (tx: IDBTransaction) => IDBTransaction) =>
  ({
    open: (...args: Parameters<IDBFactory['open']>) => {
      const request = indexedDB.open(...args)
      request.addEventListener('success', () => {
        const db = request.result
        const transaction = db.transaction.bind(db)
        db.transaction = ((...txArgs: Parameters<IDBDatabase['transaction']>) =>
          wrap(transaction(...txArgs))) as IDBDatabase['transaction']
      })
      return request
    },
  }) as unknown as IDBFactory

describe('createIndexedDbStore', () => {
  it('reads what was set, from another connection as soon as the write resolves', async () => {
    const indexedDB = new IDBFactory()
    const [tab, other] = [1, 2].map(() => createIndexedDbStore({ indexedDB }))

    await tab!.set('k', 'v1')
    expect(await other!.get('k')).toBe('v1')
    await other!.set('k', 'v2')
    expect(await tab!.get('k')).toBe('v2')
    await tab!.remove('k')
    expect(await other!.get('k')).toBeNull()
  })

  it('updates atomically: three connections adding one 50 times each end at 150', async () => {
    const indexedDB = new IDBFactory()
    const tabs = [1, 2, 3].map(() => createIndexedDbStore({ indexedDB }))
    const increment = (value: string | null) => String(Number(value ?? 0) + 1)

    await Promise.all(
      tabs.flatMap((tab) => Array.from({ length: 50 }, () => tab.update('n', increment))),
    )

    expect(await tabs[0]!.get('n')).toBe('150')
  })

  it('removes the key when update returns null', async () => {
    const store = createIndexedDbStore({ indexedDB: new IDBFactory() })
    await store.set('k', 'v')
    await expect(store.update('k', () => null)).resolves.toBeNull()
    expect(await store.get('k')).toBeNull()
  })

  it('uses the fallback where IndexedDB is missing', async () => {
    const fallback = createMemoryStorage()
    // The default is `globalThis.indexedDB`, which Node does not have.
    const store = createIndexedDbStore({ fallback })
    await store.set('k', 'v')
    expect(fallback.getItem('k')).toBe('v')
    expect(await store.update('k', (value) => `${value}!`)).toBe('v!')
    expect(await store.get('k')).toBe('v!')
  })

  it('moves to the fallback, never rejecting, when opening the database throws', async () => {
    const fallback = createMemoryStorage()
    fallback.setItem('k', 'from fallback')
    const broken = {
      open: () => {
        throw new DOMException(
          'The user denied permission to access the database.',
          'SecurityError',
        )
      },
    } as unknown as IDBFactory
    const store = createIndexedDbStore({ indexedDB: broken, fallback })

    expect(await store.get('k')).toBe('from fallback')
    await store.set('k', 'written')
    expect(fallback.getItem('k')).toBe('written')
  })

  it('moves to the fallback when the database does not answer within its timeout', async () => {
    const fallback = createMemoryStorage()
    const store = createIndexedDbStore({ indexedDB: hungIndexedDb(), fallback, timeoutMs: 20 })

    await store.set('k', 'v')
    expect(fallback.getItem('k')).toBe('v')
    // Once failed, later calls go straight to the fallback instead of waiting again.
    const started = Date.now()
    expect(await store.get('k')).toBe('v')
    expect(Date.now() - started).toBeLessThan(20)
  })

  it('waits for a slow transaction instead of moving to the fallback, where the other tabs do not look', async () => {
    const indexedDB = new IDBFactory()
    // Every transaction of this connection reports its commit 300 ms late (a loaded machine,
    // a throttled tab), well past the 50 ms allowed for opening.
    const slow = wrapTransactions(
      indexedDB,
      (tx) =>
        new Proxy(tx, {
          set(target, prop, value: (event: Event) => void) {
            if (prop === 'oncomplete') {
              target.oncomplete = (event) => setTimeout(() => value(event), 300)
              return true
            }
            return Reflect.set(target, prop, value)
          },
        }),
    )
    const fallback = createMemoryStorage()
    const tab = createIndexedDbStore({ indexedDB: slow, fallback, timeoutMs: 50 })
    const other = createIndexedDbStore({ indexedDB })

    await tab.set('k', 'v1')
    expect(await other.get('k')).toBe('v1')
    expect(fallback.getItem('k')).toBeNull()
    await other.set('k', 'v2')
    expect(await tab.get('k')).toBe('v2')
  })

  it('answers null and writes nothing without IndexedDB or a fallback', async () => {
    const store = createIndexedDbStore({ indexedDB: hungIndexedDb(), timeoutMs: 10 })
    await expect(store.set('k', 'v')).resolves.toBeUndefined()
    await expect(store.get('k')).resolves.toBeNull()
  })

  it('lets go of its connection on close(), and opens a new one for a later call', async () => {
    const { indexedDB, connections } = countingIndexedDb()
    const store = createIndexedDbStore({ indexedDB })
    await store.set('k', 'v')
    expect(connections).toHaveLength(1)
    const close = vi.spyOn(connections[0]!, 'close')

    store.close?.()

    await vi.waitFor(() => expect(close).toHaveBeenCalledTimes(1))
    expect(await store.get('k')).toBe('v')
    expect(connections).toHaveLength(2)
  })

  it('keeps databases of different names apart', async () => {
    const indexedDB = new IDBFactory()
    const mine = createIndexedDbStore({ indexedDB, name: 'app-a' })
    const theirs = createIndexedDbStore({ indexedDB, name: 'app-b' })

    await mine.set('k', 'a')
    await theirs.set('k', 'b')

    expect(await mine.get('k')).toBe('a')
  })

  it('moves to the fallback at once when opening the database fails, without waiting out its timeout', async () => {
    const fallback = createMemoryStorage()
    fallback.setItem('k', 'from fallback')
    const request: { onerror?: () => void } = {}
    const failing = {
      open: () => {
        queueMicrotask(() => request.onerror?.())
        return request
      },
    } as unknown as IDBFactory
    const store = createIndexedDbStore({ indexedDB: failing, fallback, timeoutMs: 60_000 })

    const read = settle(store.get('k'))
    await flush()

    expect(read.value).toBe('from fallback')
  })

  it('moves to the fallback when a transaction aborts (a full disk)', async () => {
    const indexedDB = new IDBFactory()
    const aborting = wrapTransactions(indexedDB, (tx) => {
      queueMicrotask(() => tx.abort())
      return tx
    })
    const fallback = createMemoryStorage()
    const store = createIndexedDbStore({ indexedDB: aborting, fallback })

    const write = settle(store.set('k', 'v'))
    await vi.waitFor(() => expect(write.done).toBe(true))

    expect(fallback.getItem('k')).toBe('v')
  })

  it('lets go of its connection when the database is deleted elsewhere (site data cleared), then opens a new one', async () => {
    const indexedDB = new IDBFactory()
    const store = createIndexedDbStore({ indexedDB })
    await store.set('k', 'v')

    const deletion = await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase('token-refresh-kit')
      request.onsuccess = () => resolve('deleted')
      request.onblocked = () => resolve('blocked')
    })
    expect(deletion).toBe('deleted')

    await store.set('k', 'w')
    expect(await createIndexedDbStore({ indexedDB }).get('k')).toBe('w')
  })

  it('answers every call without IndexedDB or a fallback', async () => {
    const store = createIndexedDbStore({ indexedDB: hungIndexedDb(), timeoutMs: 10 })
    await expect(store.remove('k')).resolves.toBeUndefined()
    await expect(store.update('k', () => 'v')).resolves.toBe('v')
    await expect(store.update('k', () => null)).resolves.toBeNull()
    await expect(store.get('k')).resolves.toBeNull()
  })

  it('removes the key from a Web Storage fallback when update returns null', async () => {
    // Web Storage keeps `String(value)`: a null written would read back as "null".
    const items = new Map<string, string>()
    const fallback: TokenStorage = {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, String(value)),
      removeItem: (key) => void items.delete(key),
    }
    const store = createIndexedDbStore({ fallback })
    await store.set('k', 'v')

    await expect(store.update('k', () => null)).resolves.toBeNull()

    expect(await store.get('k')).toBeNull()
  })

  it('opens a new connection after the browser closed its one (storage pressure, a crash)', async () => {
    const { indexedDB, connections } = countingIndexedDb()
    const store = createIndexedDbStore({ indexedDB })
    await store.set('k', 'v')

    // What a forced close looks like to the page: the connection is gone and says so.
    connections[0]!.close()
    connections[0]!.onclose?.(new Event('close'))

    expect(await store.get('k')).toBe('v')
    expect(connections).toHaveLength(2)
  })
})
