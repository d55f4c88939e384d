const isNative = (value: object) =>
  value instanceof URLSearchParams ||
  (typeof FormData !== 'undefined' && value instanceof FormData) ||
  (typeof Blob !== 'undefined' && value instanceof Blob) ||
  value instanceof ArrayBuffer ||
  ArrayBuffer.isView(value)

/**
 * A body as axios would send it, for fetch: a string, form data, a Blob or bytes as they are (fetch
 * sets their Content-Type), anything else as JSON; nothing for `undefined` and `null`.
 */
export function toFetchBody(value: unknown): { body?: BodyInit; contentType?: string } {
  if (value === undefined || value === null) return {}
  if (typeof value === 'string') return { body: value }
  if (typeof value === 'object' && isNative(value)) return { body: value as BodyInit }
  return { body: JSON.stringify(value), contentType: 'application/json' }
}
