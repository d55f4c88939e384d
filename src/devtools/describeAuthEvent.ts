import { formatClock, formatDuration } from 'token-refresh-kit'
import type { AuthEvent, EndReason, RefreshReason } from 'token-refresh-kit'
import type { BridgeEvent } from './protocol'

const REFRESH_REASONS = {
  scheduled: 'scheduled, before expiry',
  expired: 'the token had expired',
  unauthorized: 'a request met a 401',
  manual: 'on request (Refresh now)',
  visible: 'the tab became visible',
  focus: 'the window regained focus',
  online: 'the network came back',
  start: 'at start',
} satisfies Record<RefreshReason, string>

const END_REASONS = {
  logout: 'signed out in this tab',
  'logout-elsewhere': 'signed out in another tab',
  'refresh-rejected': 'the server refused the refresh token',
  'ended-elsewhere': 'another tab’s refresh was refused',
} satisfies Record<EndReason, string>

export interface EventDescription {
  title: string
  /** What else the reader needs, or '' (never a token: events carry none). */
  detail: string
  tone: 'good' | 'info' | 'warn' | 'bad'
}

/** Why a session ended, in words; a reason from a page of another version is shown as sent. */
export function describeEndReason(reason: EndReason): string {
  return END_REASONS[reason] ?? reason
}

/**
 * What an event means, in the words the app's history and the extension both show. A new
 * event type fails to compile here until it is described.
 */
export function describeAuthEvent(event: AuthEvent | BridgeEvent): EventDescription {
  switch (event.type) {
    case 'signed-in':
      return {
        title: event.source === 'other-tab' ? 'Signed in (another tab)' : 'Signed in',
        detail: String(event.user?.email ?? event.user?.username ?? event.user?.sub ?? ''),
        tone: 'good',
      }
    case 'refresh-started':
      return {
        title: 'Refresh started',
        detail: REFRESH_REASONS[event.reason] ?? event.reason,
        tone: 'info',
      }
    case 'refreshed':
      return {
        title: event.source === 'other-tab' ? 'Refreshed by another tab' : 'Refreshed',
        detail: `new token until ${formatClock(event.expiresAt)}`,
        tone: 'good',
      }
    case 'refresh-failed':
      return event.transient
        ? {
            title: 'Refresh failed, will retry',
            detail:
              event.retryInMs === null
                ? event.error.message
                : `${event.error.message} (retry in ${formatDuration(event.retryInMs / 1000)})`,
            tone: 'warn',
          }
        : { title: 'Refresh rejected', detail: event.error.message, tone: 'bad' }
    case 'retried':
      return {
        title: 'Request retried after a 401',
        detail: `${event.method.toUpperCase()} ${event.url}`,
        tone: 'info',
      }
    case 'expired':
      return event.forced
        ? { title: 'Token expired (forced)', detail: '', tone: 'warn' }
        : { title: 'Token expired', detail: 'it reached its expiry', tone: 'warn' }
    case 'invalidated':
      return {
        title: 'Token invalidated',
        detail: 'a tester tampered with its signature',
        tone: 'warn',
      }
    case 'ended':
      return { title: 'Session ended', detail: describeEndReason(event.reason), tone: 'bad' }
    default: {
      // A page on another version of the bridge may send a type this build does not know.
      const unknown: never = event
      return { title: String((unknown as { type: unknown }).type), detail: '', tone: 'info' }
    }
  }
}
