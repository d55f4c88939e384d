// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import { createEventLog } from '../../../src/app/createEventLog'
import { describeAuthEvent } from '../../../src/devtools/describeAuthEvent'
import type { BridgeEvent } from '../../../src/devtools/protocol'
import { RefreshFailedError, RefreshRejectedError } from '../../../src/core/errors'
import type { AuthEvent, EndReason } from '../../../src/core/types'
import { createPopup } from '../../../src/extension/createPopup'
import { createFakeSession } from './fakeSession'

const AT = 1_800_000_000_000
const user = { sub: 'usr_admin', email: 'admin@etl.local' }

// One of each type: a new AuthEvent type fails to compile here until it has a sample.
const samples = {
  'signed-in': { type: 'signed-in', at: AT, user, source: 'local' },
  'refresh-started': { type: 'refresh-started', at: AT + 1, reason: 'manual' },
  refreshed: { type: 'refreshed', at: AT + 2, expiresAt: AT + 300_000, source: 'network' },
  'refresh-failed': {
    type: 'refresh-failed',
    at: AT + 3,
    error: new RefreshFailedError('The refresh call failed: status 500'),
    transient: true,
    retryInMs: 800,
  },
  retried: { type: 'retried', at: AT + 4, method: 'get', url: '/api/v1/jobs' },
  expired: { type: 'expired', at: AT + 5, forced: true },
  invalidated: { type: 'invalidated', at: AT + 6 },
  ended: {
    type: 'ended',
    at: AT + 7,
    reason: 'refresh-rejected',
    error: new RefreshRejectedError('Refresh was rejected'),
  },
} satisfies { [T in AuthEvent['type']]: Extract<AuthEvent, { type: T }> }
const events: AuthEvent[] = Object.values(samples)

const toBridge = (event: AuthEvent): BridgeEvent =>
  'error' in event && event.error
    ? ({
        ...event,
        error: { name: event.error.name, code: event.error.code, message: event.error.message },
      } as BridgeEvent)
    : (event as BridgeEvent)

describe('describeAuthEvent', () => {
  it('gives the app’s history and the extension’s history the same words for the same events', () => {
    const { session, emit } = createFakeSession()
    const log = createEventLog(session)
    for (const event of events) emit(event)

    const root = document.createElement('main')
    const popup = createPopup(root, {
      sendCommand: () => undefined,
      requestAccess: async () => undefined,
      connect: async () => undefined,
      now: () => AT,
    })
    popup.showView(
      {
        tabId: 1,
        content: true,
        bridge: true,
        snapshot: null,
        receivedAt: null,
        events: events.map(toBridge),
      },
      false,
    )
    const popupTitles = [...root.querySelectorAll('.history li strong')].map((el) => el.textContent)

    // The app folds why a refresh started into the entry of its result.
    expect(log.store.getState().map((entry) => entry.title)).toEqual(
      popupTitles.filter((title) => title !== 'Refresh started'),
    )
    expect(log.store.getState().find((entry) => entry.kind === 'refreshed')!.detail).toMatch(
      /^on request \(Refresh now\) · new token until /,
    )
    popup.destroy()
  })

  it('describes every event type in words, not by its raw type', () => {
    for (const event of events) {
      const { title } = describeAuthEvent(event)
      expect(title).not.toBe(event.type)
      expect(title).toMatch(/^[A-Z]/)
    }
  })

  it('says when a transient failure is retried, counting a started second as one', () => {
    expect(describeAuthEvent(samples['refresh-failed'])).toEqual({
      title: 'Refresh failed, will retry',
      detail: 'The refresh call failed: status 500 (retry in 1 s)',
      tone: 'warn',
    })
  })

  it('says why a session ended, for every end reason', () => {
    // A new EndReason fails to compile here until it is listed.
    const reasons = {
      logout: 'signed out in this tab',
      'logout-elsewhere': 'signed out in another tab',
      'refresh-rejected': 'the server refused the refresh token',
      'ended-elsewhere': 'another tab’s refresh was refused',
    } satisfies Record<EndReason, string>
    for (const [reason, words] of Object.entries(reasons)) {
      const event = { ...samples.ended, reason: reason as EndReason, error: null }
      expect(describeAuthEvent(event)).toMatchObject({ title: 'Session ended', detail: words })
    }
  })

  it('shows an event type from a page on another bridge version as it was sent', () => {
    const foreign = { type: 'token-rotated', at: AT } as unknown as BridgeEvent
    expect(describeAuthEvent(foreign)).toEqual({ title: 'token-rotated', detail: '', tone: 'info' })
  })
})
