import type { StoreApi } from 'zustand/vanilla'
import type { TokenReader } from './createTokenReader'
import { readRecord } from './sessionRecord'
import type { AuthState, SessionRecord, TokenStorage } from './types'

/**
 * The token the session holds, as its state shows it, plus what the state does not show: its
 * whole lifetime (which scales the refresh margin) and whether it is opaque.
 */
export function createHeldToken(
  store: StoreApi<AuthState>,
  reader: TokenReader,
  now: () => number,
) {
  let lifetimeMs = 0
  let opaque = false
  const live = () => {
    const { status } = store.getState()
    return status === 'authenticated' || status === 'refreshing'
  }
  return {
    lifetimeMs: () => lifetimeMs,
    /** Notes the record now held, or null for none. */
    hold(record: SessionRecord | null) {
      lifetimeMs = record?.lifetimeMs ?? 0
      opaque = record?.opaque === true
    },
    /** The access token if it can be sent now, else null. */
    peek(): string | null {
      const { accessToken, expiresAt } = store.getState()
      return live() && accessToken && expiresAt !== null && expiresAt > now() ? accessToken : null
    },
    /**
     * A reload: holds the stored record, which keeps the expiry measured when its token arrived,
     * and returns it with its user; an unreadable one is removed. `found`: something was stored.
     */
    restore(storage: TokenStorage, key: string, keepsRefreshToken: boolean) {
      const stored = readRecord(storage, key)
      const decoded = stored && reader.decode(stored)
      if (!stored || !decoded) {
        if (stored) storage.removeItem(key)
        return { found: stored !== null, user: null, accessToken: null }
      }
      lifetimeMs = stored.lifetimeMs
      opaque = stored.opaque === true
      const user = reader.userOf(stored, decoded, null)
      store.setState({
        status: 'authenticated',
        accessToken: stored.accessToken,
        refreshToken: keepsRefreshToken ? stored.refreshToken : null,
        expiresAt: stored.expiresAt,
        user,
      })
      return { found: true, user, accessToken: stored.accessToken }
    },
    /** The held token as a record, or null. */
    own(): SessionRecord | null {
      const { accessToken, refreshToken, expiresAt, user } = store.getState()
      if (!live() || !accessToken || expiresAt === null) return null
      const record = { accessToken, refreshToken, expiresAt, lifetimeMs }
      return reader.withUser(opaque ? { ...record, opaque: true } : record, user)
    },
  }
}
