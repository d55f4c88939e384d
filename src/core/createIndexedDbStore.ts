import { timeoutManager } from './timeoutManager'
import type { KeyValueStore, TokenStorage } from './types'

export interface IndexedDbStoreOptions {
  /** The database's name. Default `token-refresh-kit`. */
  name?: string
  /** Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory
  /** Takes every call once IndexedDB is missing or has failed here (private modes, quota). Default: none. */
  fallback?: TokenStorage
  /**
   * Opening the database not settled after this long counts as a failure (Safari's has been seen
   * never to answer). Default 5 000. Once open, a call is never timed out: a slow transaction on a
   * loaded machine is still the truth every tab reads, and a tab that moved to `fallback` for it
   * would read and write where the other tabs do not look.
   */
  timeoutMs?: number
}

const ITEMS = 'items'

/**
 * Key-value storage in IndexedDB, one transaction per call, resolved once it has committed: what
 * one tab wrote is then what any other tab reads, which localStorage does not promise. After a
 * first failure (the database missing, not opening in time, an error or an aborted transaction)
 * every call goes to `fallback`, and reads without one answer null, so a broken database never
 * breaks the session. Slowness is not failure.
 */
export function createIndexedDbStore(options: IndexedDbStoreOptions = {}): KeyValueStore {
  const name = options.name ?? 'token-refresh-kit'
  const timeoutMs = options.timeoutMs ?? 5_000
  const fallback = options.fallback
  let factory: IDBFactory | undefined
  try {
    factory = options.indexedDB ?? globalThis.indexedDB
  } catch {
    factory = undefined
  }
  let failed = !factory
  let opening: Promise<IDBDatabase> | null = null

  const open = () =>
    (opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory!.open(name, 1)
      request.onupgradeneeded = () => request.result.createObjectStore(ITEMS)
      request.onerror = () => reject(request.error)
      request.onsuccess = () => {
        const db = request.result
        // Site data cleared, or another version of the kit upgrading: the next call reopens.
        db.onversionchange = () => {
          db.close()
          opening = null
        }
        db.onclose = () => (opening = null)
        resolve(db)
      }
    }))

  const within = <T>(promise: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const timer = timeoutManager.setTimeout(
        () => reject(new Error(`IndexedDB did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      )
      promise.then(resolve, reject).finally(() => timeoutManager.clearTimeout(timer))
    })

  const run = <T>(
    mode: IDBTransactionMode,
    work: (items: IDBObjectStore) => () => T,
    instead: () => T,
  ): Promise<T> => {
    if (failed) return Promise.resolve(instead())
    const call = within(open()).then(
      (db) =>
        new Promise<T>((resolve, reject) => {
          const transaction = db.transaction(ITEMS, mode)
          const result = work(transaction.objectStore(ITEMS))
          transaction.oncomplete = () => resolve(result())
          transaction.onabort = () => reject(transaction.error ?? new Error('aborted'))
        }),
    )
    return call.catch(() => {
      failed = true
      return instead()
    })
  }

  const text = (value: unknown) => (typeof value === 'string' ? value : null)

  return {
    get: (key) =>
      run(
        'readonly',
        (items) => {
          const request = items.get(key)
          return () => text(request.result)
        },
        () => fallback?.getItem(key) ?? null,
      ),
    set: (key, value) =>
      run(
        'readwrite',
        (items) => (items.put(value, key), () => undefined),
        () => fallback?.setItem(key, value),
      ),
    remove: (key) =>
      run(
        'readwrite',
        (items) => (items.delete(key), () => undefined),
        () => fallback?.removeItem(key),
      ),
    update: (key, next) =>
      run(
        'readwrite',
        (items) => {
          let written: string | null = null
          const request = items.get(key)
          request.onsuccess = () => {
            written = next(text(request.result))
            if (written === null) items.delete(key)
            else items.put(written, key)
          }
          return () => written
        },
        () => {
          const written = next(fallback?.getItem(key) ?? null)
          if (written === null) fallback?.removeItem(key)
          else fallback?.setItem(key, written)
          return written
        },
      ),
    close() {
      const pending = opening
      opening = null
      pending?.then(
        (db) => db.close(),
        () => undefined,
      )
    },
  }
}
