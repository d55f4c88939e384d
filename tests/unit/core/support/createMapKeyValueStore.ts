import type { KeyValueStore } from '../../../../src/core'

/**
 * The tabs' shared store as IndexedDB gives it to them, in memory: one store whose writes every
 * tab (every session handed it) reads at once.
 */
export function createMapKeyValueStore(): KeyValueStore {
  const items = new Map<string, string>()
  return {
    get: async (key) => items.get(key) ?? null,
    set: async (key, value) => void items.set(key, value),
    remove: async (key) => void items.delete(key),
    update: async (key, next) => {
      const written = next(items.get(key) ?? null)
      if (written === null) items.delete(key)
      else items.set(key, written)
      return written
    },
  }
}
