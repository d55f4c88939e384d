import { STATE_VERSION, type MockState } from './model'
import { MockStorageBusyError, type MockStorage } from './mockStorage'

export const MOCK_DB_NAME = 'trk-mock-db'
const STORE = 'state'
const KEY = 'current'

export interface IndexedDbStateStorageOptions {
  /** The IndexedDB database and the Web Lock that guards it. Default `trk-mock-db`. */
  name?: string
  /** Default `globalThis.indexedDB`. */
  indexedDB?: IDBFactory
  /** Default `navigator.locks`. */
  locks?: LockManager
  /** How long a request waits for other tabs' transactions before it fails. Default 10 s. */
  lockTimeoutMs?: number
}

function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve()
    transaction.onerror = () => reject(transaction.error)
    transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'))
  })
}

/**
 * Aborts after `ms` of the tab running, counted in ticks: a frozen tab's timers all fire at once
 * when it wakes, and `AbortSignal.timeout` would then give up on a lock it is about to get.
 */
function awakeTimeout(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController()
  const tick = Math.min(ms, 500)
  let left = Math.ceil(ms / tick)
  const timer = setInterval(() => {
    if (--left <= 0) {
      clearInterval(timer)
      controller.abort(new DOMException('mock database lock wait timed out', 'TimeoutError'))
    }
  }, tick)
  return { signal: controller.signal, clear: () => clearInterval(timer) }
}

/**
 * The state of every tab of the origin, kept across reloads. Each `transaction` holds the
 * origin's Web Lock from before it reads until its write has committed, so a tab never
 * writes back a state another tab changed meanwhile. The lock, not one IndexedDB
 * transaction, spans the request: IndexedDB commits a transaction as soon as it has no
 * pending request, which the handlers' awaits (signing, hashing, bodies) would cause.
 */
export function createIndexedDbStateStorage(
  options: IndexedDbStateStorageOptions = {},
): MockStorage {
  const {
    name = MOCK_DB_NAME,
    indexedDB = globalThis.indexedDB,
    locks = globalThis.navigator?.locks,
    lockTimeoutMs = 10_000,
  } = options
  if (!indexedDB || !locks) {
    throw new Error(
      '[token-refresh-kit mocks] IndexedDB and Web Locks are needed to share the mock database between tabs; use createMemoryStateStorage() outside a browser',
    )
  }
  let connection: Promise<IDBDatabase> | null = null
  let current: { state: MockState | null; changed: boolean } | null = null

  function open(): Promise<IDBDatabase> {
    connection ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1)
      request.onupgradeneeded = () => request.result.createObjectStore(STORE)
      request.onsuccess = () => {
        const database = request.result
        // Another tab deleting or upgrading the database: step aside, reopen on the next request.
        database.onversionchange = () => {
          database.close()
          connection = null
        }
        resolve(database)
      }
      request.onerror = () => reject(request.error)
      request.onblocked = () => reject(new Error(`IndexedDB "${name}" is blocked by another tab`))
    }).catch((error: unknown) => {
      connection = null
      throw error
    })
    return connection
  }

  async function read(database: IDBDatabase): Promise<MockState | null> {
    const stored = (await settled(
      database.transaction(STORE, 'readonly').objectStore(STORE).get(KEY),
    )) as MockState | undefined
    return stored?.version === STATE_VERSION ? stored : null
  }

  async function write(database: IDBDatabase, state: MockState): Promise<void> {
    const transaction = database.transaction(STORE, 'readwrite', { durability: 'relaxed' })
    transaction.objectStore(STORE).put(state, KEY)
    await committed(transaction)
  }

  function inTransaction(): { state: MockState | null; changed: boolean } {
    if (!current) {
      throw new Error(
        '[token-refresh-kit mocks] the mock database was used outside a transaction: wrap the handler in apiRoute() or controlRoute()',
      )
    }
    return current
  }

  return {
    load: () => inTransaction().state,
    save(state) {
      const open = inTransaction()
      open.state = state
      open.changed = true
    },
    async transaction(work) {
      const database = await open()
      const wait = awakeTimeout(lockTimeoutMs)
      let granted = false
      try {
        return await locks.request(name, { signal: wait.signal }, async () => {
          wait.clear()
          granted = true
          current = { state: await read(database), changed: false }
          try {
            return await work()
          } finally {
            const { state, changed } = current
            current = null
            if (changed && state) await write(database, state)
          }
        })
      } catch (error) {
        if (!granted && wait.signal.aborted) throw new MockStorageBusyError(lockTimeoutMs)
        throw error
      } finally {
        wait.clear()
      }
    },
  }
}
