import type { BridgeEvent } from 'token-refresh-kit/devtools'
import type { EndReason, RefreshReason } from 'token-refresh-kit'
import { formatClock, formatDuration } from './formatTime'

const REFRESH_REASONS: Record<RefreshReason, string> = {
  scheduled: 'scheduled, before expiry',
  expired: 'the token had expired',
  unauthorized: 'a request met a 401',
  manual: 'on request (Refresh now)',
  visible: 'the tab became visible',
  focus: 'the window regained focus',
  online: 'the network came back',
  start: 'at start',
}

export const END_REASONS: Record<EndReason, string> = {
  logout: 'signed out',
  'logout-elsewhere': 'signed out in another tab',
  'refresh-rejected': 'the server refused the refresh token',
  'ended-elsewhere': 'ended in another tab',
}

export interface EventDescription {
  title: string
  detail: string
  tone: 'good' | 'info' | 'warn' | 'bad'
}

/** What an event means, in words a tester reads at a glance. */
export function describeEvent(event: BridgeEvent): EventDescription {
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
        title: 'Request retried',
        detail: `${event.method.toUpperCase()} ${event.url}`,
        tone: 'info',
      }
    case 'expired':
      return {
        title: event.forced ? 'Token expired (forced)' : 'Token expired',
        detail: '',
        tone: 'warn',
      }
    case 'invalidated':
      return { title: 'Token invalidated', detail: 'its signature was tampered with', tone: 'warn' }
    case 'ended':
      return {
        title: 'Session ended',
        detail: END_REASONS[event.reason] ?? event.reason,
        tone: 'bad',
      }
    default:
      return { title: String((event as { type: unknown }).type), detail: '', tone: 'info' }
  }
}
