const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const SKIPPED_PROTOTYPES = new Set<unknown>([Object.prototype, Function.prototype])
const decoder = new TextDecoder('utf-8', { fatal: false })

const keyPath = (path: string, key: string | symbol) =>
  typeof key === 'symbol'
    ? `${path}[${key.toString()}]`
    : IDENTIFIER.test(key)
      ? `${path}.${key}`
      : /^\d+$/.test(key)
        ? `${path}[${key}]`
        : `${path}[${JSON.stringify(key)}]`

const label = (key: unknown) => (typeof key === 'string' ? JSON.stringify(key) : String(key))

/**
 * The paths in the object graph under `root` at which any of `secrets` occurs, as a whole string
 * or inside one (also a property name or Map key, or bytes that decode to it). It reads own
 * properties, enumerable or not, symbol-keyed too; getters, own or inherited, that do not throw;
 * hence `cause`, an AggregateError's `errors` and `stack`; the result of `toJSON()`; the entries of
 * Maps, Sets and Headers-like objects (`entries()`). Each object is visited once.
 */
export function findSecrets(root: unknown, secrets: readonly string[], maxNodes = 100_000) {
  if (secrets.length === 0 || secrets.some((secret) => typeof secret !== 'string' || !secret)) {
    throw new TypeError(
      'findSecrets needs non-empty secret strings: an empty one would match every string, so check the token the test passes.',
    )
  }
  const found: string[] = []
  const seen = new Set<object>()
  const queue: [unknown, string][] = [[root, 'root']]

  const check = (text: string, path: string) => {
    if (secrets.some((secret) => text.includes(secret))) found.push(path)
  }

  for (let next = queue.shift(); next; next = queue.shift()) {
    const [value, path] = next
    if (typeof value === 'string') {
      check(value, path)
      continue
    }
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue
    if (seen.has(value)) continue
    seen.add(value)
    if (seen.size > maxNodes) {
      throw new Error(
        `findSecrets visited more than ${maxNodes} objects under root; pass a larger maxNodes or a smaller root.`,
      )
    }

    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      check(decoder.decode(value), `${path}<bytes>`)
      continue
    }

    const keys = new Set<string | symbol>(Reflect.ownKeys(value))
    for (const key of keys) {
      if (typeof key === 'string') check(key, `${path}<key ${JSON.stringify(key)}>`)
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key)
      if (!descriptor) continue
      if ('value' in descriptor) queue.push([descriptor.value, keyPath(path, key)])
      else if (descriptor.get) readGetter(value, key, descriptor.get, path, queue)
    }
    for (
      let proto: unknown = Reflect.getPrototypeOf(value);
      proto && !SKIPPED_PROTOTYPES.has(proto);
      proto = Reflect.getPrototypeOf(proto as object)
    ) {
      for (const key of Reflect.ownKeys(proto as object)) {
        if (keys.has(key)) continue
        keys.add(key)
        const getter = Reflect.getOwnPropertyDescriptor(proto as object, key)?.get
        if (getter) readGetter(value, key, getter, path, queue)
      }
    }

    if (value instanceof Map) {
      let index = 0
      for (const [key, entry] of value) {
        queue.push([key, `${path}.keys()[${index++}]`])
        queue.push([entry, `${path}.get(${label(key)})`])
      }
    } else if (value instanceof Set) {
      let index = 0
      for (const entry of value) queue.push([entry, `${path}.values()[${index++}]`])
    } else if (!Array.isArray(value)) {
      const { entries, toJSON } = value as { entries?: unknown; toJSON?: unknown }
      if (typeof entries === 'function') {
        try {
          let index = 0
          for (const entry of entries.call(value) as Iterable<unknown>) {
            queue.push([entry, `${path}.entries()[${index++}]`])
          }
        } catch {
          // Not iterable after all: its own properties were read above.
        }
      }
      if (typeof toJSON === 'function') {
        try {
          queue.push([toJSON.call(value), `${path}.toJSON()`])
        } catch {
          // A toJSON that throws makes JSON.stringify throw too: nothing leaks through it.
        }
      }
    }
  }
  return found
}

function readGetter(
  target: object,
  key: string | symbol,
  getter: () => unknown,
  path: string,
  queue: [unknown, string][],
) {
  try {
    queue.push([getter.call(target), keyPath(path, key)])
  } catch {
    // A getter that throws for this receiver (a brand check, a disposed stream) exposes nothing.
  }
}
