import type { KeyValueStore, SessionRecord, TokenStorage } from './types'

const RECORD_KEYS = ['accessToken', 'expiresAt', 'lifetimeMs', 'refreshToken']

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0

/** Exactly a session record: these four fields (and optional `opaque` and `user`) of these types, finite numbers, nothing more. */
export function isSessionRecord(value: unknown): value is SessionRecord {
  if (!isPlainObject(value)) return false
  const { user, opaque, ...record } = value
  return (
    (!('user' in value) || isPlainObject(user)) &&
    (!('opaque' in value) || opaque === true) &&
    Object.keys(record).sort().join() === RECORD_KEYS.join() &&
    typeof record.accessToken === 'string' &&
    record.accessToken.length > 0 &&
    (typeof record.refreshToken === 'string' || record.refreshToken === null) &&
    isTime(record.expiresAt) &&
    isTime(record.lifetimeMs)
  )
}

/** Reads a stored session from its JSON; anything unreadable counts as none. */
export function parseRecord(raw: string | null): SessionRecord | null {
  try {
    if (!raw) return null
    const value = JSON.parse(raw) as Partial<SessionRecord>
    if (
      typeof value.accessToken !== 'string' ||
      typeof value.expiresAt !== 'number' ||
      typeof value.lifetimeMs !== 'number'
    ) {
      return null
    }
    return {
      accessToken: value.accessToken,
      refreshToken: typeof value.refreshToken === 'string' ? value.refreshToken : null,
      expiresAt: value.expiresAt,
      lifetimeMs: value.lifetimeMs,
      ...(value.opaque === true && { opaque: true }),
      ...(isPlainObject(value.user) && { user: value.user }),
    }
  } catch {
    return null
  }
}

/** Reads the stored session; anything unreadable counts as none. */
export function readRecord(storage: TokenStorage, key: string): SessionRecord | null {
  return parseRecord(storage.getItem(key))
}

export function writeRecord(storage: TokenStorage, key: string, record: SessionRecord): void {
  storage.setItem(key, JSON.stringify(record))
}

/** The session record in `store`, or null (no store, nothing stored, unreadable). */
export async function loadRecord(
  store: KeyValueStore | null,
  key: string,
): Promise<SessionRecord | null> {
  return store ? parseRecord(await store.get(key)) : null
}

/** Writes (or, for null, removes) the record in `store`; resolves once committed. */
export function saveRecord(
  store: KeyValueStore | null,
  key: string,
  record: SessionRecord | null,
): Promise<void> {
  if (!store) return Promise.resolve()
  return record ? store.set(key, JSON.stringify(record)) : store.remove(key)
}

/**
 * The record that expires last, the first on a tie. A refresh token is rotated into a record
 * that expires later, so the newest record holds the only refresh token not yet spent.
 */
export function newestRecord(...records: (SessionRecord | null)[]): SessionRecord | null {
  return records.reduce<SessionRecord | null>(
    (newest, record) =>
      record && (!newest || record.expiresAt > newest.expiresAt) ? record : newest,
    null,
  )
}
