import { createIndexedDbStore } from './createIndexedDbStore'
import { isSessionMessage } from './isSessionMessage'
import { createLocalStorage, createMemoryStorage } from './storage'
import { timeoutManager } from './timeoutManager'
import type { KeyValueStore, RefreshCoordinator, SessionChannel, TokenStorage } from './types'

/** The part of the Web Locks API the kit uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>
}

/** The part of `BroadcastChannel` the kit uses. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  close?(): void
}

/** How long a lock holder may take, once granted, to note itself busy. */
const NOTE_GRACE_MS = 2_000

const sleep = (ms: number) => new Promise<void>((resolve) => timeoutManager.setTimeout(resolve, ms))

/** Web Storage as a `KeyValueStore`; its `update` is a read then a write, atomic in one tab only. */
const asKeyValueStore = (storage: TokenStorage): KeyValueStore => ({
  get: async (key) => storage.getItem(key),
  set: async (key, value) => storage.setItem(key, value),
  remove: async (key) => storage.removeItem(key),
  async update(key, next) {
    const written = next(storage.getItem(key))
    if (written === null) storage.removeItem(key)
    else storage.setItem(key, written)
    return written
  },
})

/**
 * One refresh at a time across the tabs of an origin, with a Web Lock per name. A tab that waits
 * longer than `timeoutMs` (a frozen tab holds the lock) moves everyone to the next generation of
 * the lock, noted in `storage`, so that the tabs left behind the frozen one still take turns (run
 * together, they would spend one refresh token twice) and later refreshes no longer wait for it.
 * After a second timeout in a row `fn` runs anyway; it re-reads storage before calling the server.
 * A wait that times out while the holder notes itself busy (`busyForMs`: from the moment it has
 * the lock until its result is committed) goes on instead: that holder is slow, not frozen; and
 * a holder not yet noted gets 2 s more to do so.
 * Only a `KeyValueStore` (IndexedDB) moves the generation atomically and visibly to every tab.
 */
export function createWebLockCoordinator(
  locks: LockManagerLike,
  storage: TokenStorage | KeyValueStore = createMemoryStorage(),
): RefreshCoordinator {
  const shared = 'getItem' in storage ? asKeyValueStore(storage) : storage
  const parse = (value: string | null) => {
    const generation = Number(value ?? 0)
    return Number.isSafeInteger(generation) && generation > 0 ? generation : 0
  }
  const holding = <T>(name: string, fn: () => Promise<T>, timeoutMs: number) => {
    const controller = new AbortController()
    const timer = timeoutManager.setTimeout(() => controller.abort(), timeoutMs)
    let ran = false
    const run = async () => {
      ran = true
      timeoutManager.clearTimeout(timer)
      return { value: await fn() }
    }
    return locks.request(name, { signal: controller.signal }, run).catch((error) => {
      if (ran || !controller.signal.aborted) throw error
      return null
    })
  }
  return {
    async runExclusive(name, fn, { timeoutMs, busyForMs }) {
      const key = `${name}:lock-generation`
      let wait = timeoutMs
      let suspect = false
      for (let attempt = 0; attempt < 2;) {
        const generation = parse(await shared.get(key))
        const lock = generation === 0 ? `${name}:refresh` : `${name}:refresh:${generation}`
        const held = await holding(lock, fn, wait)
        if (held) return held.value
        // A holder that notes itself busy (its refresh call may still be answered, or its result
        // is not committed yet) is slow, not frozen: moving on would send the refresh token it is
        // spending. Its note is capped, so this wait ends.
        const busy = (await busyForMs?.()) ?? 0
        if (busy > 0) {
          wait = busy + 1_000
          suspect = false
          continue
        }
        // No note: the wait may have spanned several holders, the last of them granted the lock
        // a moment ago and not yet noted. Look once more before calling it frozen.
        if (busyForMs && !suspect) {
          suspect = true
          wait = NOTE_GRACE_MS
          continue
        }
        suspect = false
        wait = timeoutMs
        await shared.update(key, (value) =>
          parse(value) === generation ? String(generation + 1) : value,
        )
        attempt++
      }
      return fn()
    },
  }
}

/**
 * Where Web Locks are missing: a lease in shared storage. A tab writes its claim, waits a random
 * 30-80 ms for a competing write to land, and holds the lease only if its claim survived. Two
 * tabs can still both win when their writes and checks interleave within that window; the
 * re-read of storage before the server call then catches the common case of a tab that arrives
 * after the other has finished. Leases expire after `leaseMs`, so a frozen tab blocks no one.
 */
export function createLeaseCoordinator(
  storage: TokenStorage,
  options: { leaseMs?: number; random?: () => number; now?: () => number } = {},
): RefreshCoordinator {
  const random = options.random ?? Math.random
  const now = options.now ?? Date.now
  const leaseMs = options.leaseMs ?? 15_000
  const me = random().toString(36).slice(2)
  const holder = (key: string) => {
    try {
      const lease = JSON.parse(storage.getItem(key) ?? 'null') as { by: string; until: number }
      return lease && lease.until > now() ? lease.by : null
    } catch {
      return null
    }
  }
  return {
    async runExclusive(name, fn, { timeoutMs }) {
      const key = `${name}:lease`
      const deadline = now() + timeoutMs
      let held = false
      while (!held && now() < deadline) {
        if (holder(key) === null) {
          storage.setItem(key, JSON.stringify({ by: me, until: now() + leaseMs }))
          await sleep(30 + random() * 50)
          held = holder(key) === me
        }
        if (!held) await sleep(50 + random() * 100)
      }
      try {
        return await fn()
      } finally {
        if (held && holder(key) === me) storage.removeItem(key)
      }
    },
  }
}

/** Session messages over a `BroadcastChannel`, which never delivers a post back to its sender. */
export function createBroadcastSessionChannel(channel: BroadcastChannelLike): SessionChannel {
  return {
    post: (message) => channel.postMessage(message),
    close: () => channel.close?.(),
    subscribe(listener) {
      const onMessage = (event: { data: unknown }) => {
        if (isSessionMessage(event.data)) listener(event.data)
      }
      channel.addEventListener('message', onMessage)
      return () => channel.removeEventListener('message', onMessage)
    },
  }
}

/**
 * Where `BroadcastChannel` is missing: messages ride on the `storage` event, which fires in every
 * other tab. The message is written and removed at once, so it is on disk only for that moment.
 */
export function createStorageEventChannel(
  name: string,
  storage: Storage,
  target: Pick<Window, 'addEventListener' | 'removeEventListener'>,
): SessionChannel {
  const key = `${name}:message`
  return {
    post(message) {
      storage.setItem(key, JSON.stringify({ message, nonce: Math.random() }))
      storage.removeItem(key)
    },
    subscribe(listener) {
      const onStorage = (event: StorageEvent) => {
        if (event.key !== key || !event.newValue) return
        try {
          const { message } = JSON.parse(event.newValue) as { message: unknown }
          if (isSessionMessage(message)) listener(message)
        } catch {
          // not ours
        }
      }
      target.addEventListener('storage', onStorage)
      return () => target.removeEventListener('storage', onStorage)
    },
  }
}

/**
 * The browser's cross-tab coordination for a session key: Web Locks (else a localStorage lease),
 * a BroadcastChannel (else the storage event), and an IndexedDB store (else localStorage) for
 * what the lock protects. Null outside a browser (no `window` or `document`); a host that brings its
 * own (tests, a worker) passes `coordinator` and `channel` to createAuthSession, which then makes none.
 */
export function createTabSync(key: string): {
  coordinator: RefreshCoordinator | null
  channel: SessionChannel | null
  store: KeyValueStore
} | null {
  if (typeof window === 'undefined' || typeof document === 'undefined') return null
  let local: Storage | undefined
  try {
    local = window.localStorage
  } catch {
    local = undefined
  }
  // localStorage is not read-after-write consistent across tabs, even inside a Web Lock: a tab
  // can take the lock and read before the previous holder's write has reached it. An IndexedDB
  // transaction that committed before the lock was released is visible to the next holder.
  const store = createIndexedDbStore({
    fallback: local ? createLocalStorage(local) : createMemoryStorage(),
  })
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks
  const coordinator = locks
    ? createWebLockCoordinator(locks, store)
    : local
      ? createLeaseCoordinator(local)
      : null
  const channel =
    typeof BroadcastChannel !== 'undefined'
      ? createBroadcastSessionChannel(new BroadcastChannel(key))
      : local
        ? createStorageEventChannel(key, local, window)
        : null
  return { coordinator, channel, store }
}
