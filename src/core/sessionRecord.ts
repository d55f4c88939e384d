import type { SessionRecord, TokenStorage } from './types'

/** Reads the stored session; anything unreadable counts as none. */
export function readRecord(storage: TokenStorage, key: string): SessionRecord | null {
  try {
    const raw = storage.getItem(key)
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
    }
  } catch {
    return null
  }
}

export function writeRecord(storage: TokenStorage, key: string, record: SessionRecord): void {
  storage.setItem(key, JSON.stringify(record))
}
