/**
 * Walks everything reachable from `root` — own properties (enumerable or not, getters that do
 * not throw), `cause`, `toJSON()`, arrays, Maps, Sets and Headers-like `entries()` — and returns
 * the paths at which one of `secrets` occurs, whole or inside a string. Cycle-safe.
 */
export function findSecrets(root: unknown, secrets: readonly string[]): string[] {
  const wanted = secrets.filter((secret) => secret.length > 0)
  const found: string[] = []
  const seen = new WeakSet<object>()
  const visit = (value: unknown, path: string, depth: number) => {
    if (typeof value === 'string') {
      if (wanted.some((secret) => value.includes(secret))) found.push(path)
      return
    }
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return
    if (seen.has(value) || depth > 40) return
    seen.add(value)
    if (value instanceof Map || value instanceof Set) {
      let index = 0
      for (const entry of value.entries()) visit(entry, `${path}.<entry ${index++}>`, depth + 1)
    }
    const entries = (value as { entries?: unknown }).entries
    if (!Array.isArray(value) && typeof entries === 'function' && !(value instanceof Map)) {
      try {
        const iterator = entries.call(value) as Iterable<unknown>
        if (iterator && typeof iterator[Symbol.iterator] === 'function') {
          let index = 0
          for (const entry of iterator) visit(entry, `${path}.<entry ${index++}>`, depth + 1)
        }
      } catch {
        // not an iterable of entries
      }
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      try {
        visit(toJSON.call(value), `${path}.toJSON()`, depth + 1)
      } catch {
        // a toJSON that throws shows nothing
      }
    }
    for (const key of Reflect.ownKeys(value)) {
      let item: unknown
      try {
        item = (value as Record<PropertyKey, unknown>)[key]
      } catch {
        continue
      }
      visit(item, `${path}.${String(key)}`, depth + 1)
    }
    if (typeof value !== 'function') {
      const proto = Object.getPrototypeOf(value) as object | null
      // Accessors on a class's prototype (AxiosHeaders, Response) expose data too.
      if (proto && proto !== Object.prototype && proto !== Array.prototype) {
        for (const key of Reflect.ownKeys(proto)) {
          const descriptor = Object.getOwnPropertyDescriptor(proto, key)
          if (!descriptor?.get) continue
          try {
            visit(descriptor.get.call(value), `${path}.${String(key)}`, depth + 1)
          } catch {
            // a getter that throws shows nothing
          }
        }
      }
    }
  }
  visit(root, '$', 0)
  return found
}
