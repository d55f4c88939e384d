/**
 * Lookups in the state's records by keys that come from requests (an email, a refresh token):
 * `record[key]` would find `constructor` or `__proto__` on Object.prototype, and assigning to
 * `record.__proto__` would swap the prototype instead of storing an entry.
 */

/** The record's own entry for `key`, never a member of Object.prototype. */
export function getOwn<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/** Stores `value` as the record's own entry, even under the key `__proto__`. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  })
}
