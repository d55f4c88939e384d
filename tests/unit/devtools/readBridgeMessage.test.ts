// @vitest-environment jsdom
// @vitest-environment-options {"url": "http://localhost:5173/"}
import { describe, expect, it } from 'vitest'
import {
  BRIDGE_NAMESPACE,
  BRIDGE_VERSION,
  readBridgeMessage,
  type SessionSnapshot,
} from '../../../src/devtools/protocol'

const snapshot: SessionSnapshot = {
  status: 'authenticated',
  claims: { email: 'admin@etl.local' },
  expiresAt: 2_000,
  now: 1_000,
  refreshCount: 0,
  lastRefreshAt: null,
  error: null,
  endReason: null,
  maskedToken: 'eyJhbG…abcd',
  mock: false,
}

const message = (
  data: Record<string, unknown>,
  init: { origin?: string; source?: MessageEventSource | null } = {},
) =>
  new MessageEvent('message', {
    data: { namespace: BRIDGE_NAMESPACE, version: BRIDGE_VERSION, direction: 'page', ...data },
    origin: init.origin ?? 'http://localhost:5173',
    source: init.source === undefined ? window : init.source,
  })

// The content script's side: what it accepts as the page's bridge speaking.
describe('readBridgeMessage from the page', () => {
  it('accepts a well-formed hello from this window and origin', () => {
    expect(readBridgeMessage(message({ type: 'hello', snapshot, events: [] }), 'page')).toEqual({
      type: 'hello',
      snapshot,
      events: [],
    })
  })

  it.each([
    ['another origin', {}, { origin: 'http://localhost:6006' }],
    ['no source', {}, { source: null }],
    ['another namespace', { namespace: 'token-refresh-kit-2' }, {}],
    ['a newer version', { version: BRIDGE_VERSION + 1 }, {}],
    ['the extension direction', { direction: 'extension' }, {}],
    ['a snapshot without a status', { snapshot: { ...snapshot, status: 'owned' } }, {}],
    ['a snapshot with a text expiry', { snapshot: { ...snapshot, expiresAt: 'soon' } }, {}],
    ['no events list', { events: 'none' }, {}],
  ])('ignores a hello with %s', (_label, override, init) => {
    expect(
      readBridgeMessage(
        message({ type: 'hello', snapshot, events: [], ...override }, init),
        'page',
      ),
    ).toBeNull()
  })

  it('drops malformed events from a history and keeps the rest', () => {
    const events = [{ type: 'expired', at: 5, forced: true }, { type: 'expired' }, 'junk']
    expect(readBridgeMessage(message({ type: 'hello', snapshot, events }), 'page')).toMatchObject({
      events: [{ type: 'expired', at: 5, forced: true }],
    })
  })

  it('keeps only name, code and message of an error in a result', () => {
    const error = {
      name: 'Error',
      code: 'X',
      message: 'failed',
      stack: 'at secret.js',
      cause: { token: 'x' },
    }
    expect(
      readBridgeMessage(
        message({ type: 'result', id: '1', ok: false, detail: 'd', error }),
        'page',
      ),
    ).toEqual({
      type: 'result',
      id: '1',
      ok: false,
      detail: 'd',
      error: { name: 'Error', code: 'X', message: 'failed' },
    })
  })
})
