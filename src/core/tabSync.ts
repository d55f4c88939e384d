import { timeoutManager } from './timeoutManager'
import type { RefreshCoordinator, SessionChannel, SessionMessage, TokenStorage } from './types'

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

const sleep = (ms: number) => new Promise<void>((resolve) => timeoutManager.setTimeout(resolve, ms))

const isMessage = (data: unknown): data is SessionMessage =>
  typeof data === 'object' &&
  data !== null &&
  ['tokens', 'logout', 'ended', 'hello', 'handoff'].includes((data as { type?: string }).type ?? '')

/**
 * One refresh at a time across the tabs of an origin, with a Web Lock per name. A tab that waits
 * longer than `timeoutMs` (a frozen tab holds the lock) moves everyone to the next generation of
 * the lock, noted in `storage`, so that the tabs left behind the frozen one still take turns (run
 * together, they would spend one refresh token twice) and later refreshes no longer wait for it.
 * After a second timeout in a row `fn` runs anyway; it re-reads storage before calling the server.
 */
export function createWebLockCoordinator(
  locks: LockManagerLike,
  storage?: TokenStorage,
): RefreshCoordinator {
  const generations = new Map<string, string>()
  const shared = storage ?? {
    getItem: (key: string) => generations.get(key) ?? null,
    setItem: (key: string, value: string) => void generations.set(key, value),
  }
  const generationOf = (key: string) => {
    const value = Number(shared.getItem(key) ?? 0)
    return Number.isSafeInteger(value) && value > 0 ? value : 0
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
    async runExclusive(name, fn, { timeoutMs }) {
      const key = `${name}:lock-generation`
      for (let attempt = 0; attempt < 2; attempt++) {
        const generation = generationOf(key)
        const lock = generation === 0 ? `${name}:refresh` : `${name}:refresh:${generation}`
        const held = await holding(lock, fn, timeoutMs)
        if (held) return held.value
        if (generationOf(key) === generation) shared.setItem(key, String(generation + 1))
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
        if (isMessage(event.data)) listener(event.data)
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
          if (isMessage(message)) listener(message)
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
 * The browser's cross-tab coordination for a session key: Web Locks (else a localStorage lease)
 * and a BroadcastChannel (else the storage event). Null outside a browser and under jsdom,
 * where tests inject their own.
 */
export function createTabSync(key: string): {
  coordinator: RefreshCoordinator | null
  channel: SessionChannel | null
} | null {
  if (typeof window === 'undefined' || typeof document === 'undefined') return null
  if (/jsdom/i.test(globalThis.navigator?.userAgent ?? '')) return null
  let local: Storage | undefined
  try {
    local = window.localStorage
  } catch {
    local = undefined
  }
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks
  const coordinator = locks
    ? createWebLockCoordinator(locks, local)
    : local
      ? createLeaseCoordinator(local)
      : null
  const channel =
    typeof BroadcastChannel !== 'undefined'
      ? createBroadcastSessionChannel(new BroadcastChannel(key))
      : local
        ? createStorageEventChannel(key, local, window)
        : null
  return { coordinator, channel }
}
