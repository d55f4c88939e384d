import type { AuthEvent, AuthState } from 'token-refresh-kit'
import { maskToken, serializeError, type BridgeEvent, type SessionSnapshot } from './protocol'

// Claims are JSON by nature; the round trip drops anything a structured clone would choke on.
const plain = <T>(value: T): T => (value == null ? value : JSON.parse(JSON.stringify(value)))

/** What the extension may see of the session state: no token, only claims and a masked form. */
export function snapshotSession(
  state: AuthState,
  hasMock: boolean,
  now = Date.now(),
): SessionSnapshot {
  return {
    status: state.status,
    claims: plain(state.user),
    expiresAt: state.expiresAt,
    now,
    refreshCount: state.refreshCount,
    lastRefreshAt: state.lastRefreshAt,
    error: state.error ? serializeError(state.error) : null,
    endReason: state.endReason,
    maskedToken: maskToken(state.accessToken),
    mock: hasMock,
  }
}

/**
 * An event with its errors reduced to `{name, code, message}`. Fields are copied by name, so
 * nothing an engine might add to an event later can cross the bridge unseen.
 */
export function serializeEvent(event: AuthEvent): BridgeEvent {
  switch (event.type) {
    case 'signed-in':
      return { type: event.type, at: event.at, user: plain(event.user), source: event.source }
    case 'refresh-started':
      return { type: event.type, at: event.at, reason: event.reason }
    case 'refreshed':
      return { type: event.type, at: event.at, expiresAt: event.expiresAt, source: event.source }
    case 'refresh-failed':
      return {
        type: event.type,
        at: event.at,
        error: serializeError(event.error),
        transient: event.transient,
        retryInMs: event.retryInMs,
      }
    case 'retried':
      return {
        type: event.type,
        at: event.at,
        method: event.method,
        url: event.url.split('?')[0] ?? '',
      }
    case 'expired':
      return { type: event.type, at: event.at, forced: event.forced }
    case 'invalidated':
      return { type: event.type, at: event.at }
    case 'ended':
      return {
        type: event.type,
        at: event.at,
        reason: event.reason,
        error: event.error ? serializeError(event.error) : null,
      }
  }
}
