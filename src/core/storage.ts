import type { TokenStorage } from './types'

/** Keeps tokens in this page's memory only: gone on reload, invisible to other tabs and to disk. */
export function createMemoryStorage(): TokenStorage {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  }
}

// Web Storage throws in some places (Safari private mode, quota, blocked cookies): a failed
// write must never break the session, which still holds the tokens in memory.
function wrap(name: string, storage: Storage | undefined, sharedAcrossTabs = false): TokenStorage {
  if (!storage) {
    throw new Error(
      `[token-refresh-kit] ${name} is not available here; use createMemoryStorage() instead.`,
    )
  }
  return {
    sharedAcrossTabs,
    getItem(key) {
      try {
        return storage.getItem(key)
      } catch {
        return null
      }
    },
    setItem(key, value) {
      try {
        storage.setItem(key, value)
      } catch {
        // kept in memory only
      }
    },
    removeItem(key) {
      try {
        storage.removeItem(key)
      } catch {
        // nothing to remove
      }
    },
  }
}

const webStorage = (name: 'localStorage' | 'sessionStorage'): Storage | undefined => {
  try {
    return globalThis[name]
  } catch {
    return undefined
  }
}

/** localStorage: survives reloads and is shared by every tab of the origin. */
export function createLocalStorage(storage = webStorage('localStorage')): TokenStorage {
  return wrap('localStorage', storage, true)
}

/** sessionStorage: survives reloads of this tab only; other tabs get the session over the channel. */
export function createSessionStorage(storage = webStorage('sessionStorage')): TokenStorage {
  return wrap('sessionStorage', storage)
}

/** localStorage where it exists, else memory. */
export function createDefaultStorage(): TokenStorage {
  const local = webStorage('localStorage')
  return local ? wrap('localStorage', local, true) : createMemoryStorage()
}
