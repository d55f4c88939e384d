import type { MockState } from './model'

/** Where the mock's state lives: memory in Node, localStorage in the browser. */
export interface MockStorage {
  load(): MockState | null
  save(state: MockState): void
  clear(): void
}

/** Keeps the object itself: no serialisation, so the HTTP server stays fast. */
export function createMemoryStorage(): MockStorage {
  let current: MockState | null = null
  return {
    load: () => current,
    save: (state) => {
      current = state
    },
    clear: () => {
      current = null
    },
  }
}

export const LOCAL_STORAGE_KEY = 'trk-mock-db'

/**
 * Every tab of the origin reads and writes the same key, so they share users, tokens and
 * jobs, and a reload keeps them. Callers re-read on every request for the same reason.
 */
export function createLocalStorage(
  key = LOCAL_STORAGE_KEY,
  storage: Storage = globalThis.localStorage,
): MockStorage {
  return {
    load() {
      const text = storage.getItem(key)
      if (text === null) return null
      try {
        const state = JSON.parse(text) as MockState
        return state && state.version === 2 ? state : null
      } catch {
        console.warn(`[token-refresh-kit mocks] localStorage "${key}" is not valid JSON; reseeding`)
        return null
      }
    },
    save: (state) => storage.setItem(key, JSON.stringify(state)),
    clear: () => storage.removeItem(key),
  }
}
