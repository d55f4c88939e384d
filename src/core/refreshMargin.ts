import type { SessionRecord } from './types'

/** How long before expiry a token is refreshed: `marginMs`, or the last third of a shorter life. */
export const refreshMargin = (marginMs: number, lifetimeMs: number) =>
  lifetimeMs > 0 ? Math.min(marginMs, lifetimeMs / 3) : marginMs

/** The record's token is not yet due for refresh. */
export const isFresh = (record: SessionRecord, marginMs: number, now: number) =>
  record.expiresAt - now > refreshMargin(marginMs, record.lifetimeMs)
