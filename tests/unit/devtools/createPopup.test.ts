// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { BridgeCommand, SessionSnapshot } from '../../../src/devtools/protocol'
import { createPopup, type Popup } from '../../../src/extension/createPopup'
import type { TabView } from '../../../src/extension/messages'

const NOW = 1_800_000_000_000

const snapshot = (change: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  status: 'authenticated',
  claims: {
    sub: 'usr_admin',
    email: 'admin@etl.local',
    name: 'Ada Admin',
    role: 'admin',
    permissions: ['jobs:read', 'jobs:submit'],
    iat: NOW / 1000 - 60,
    exp: NOW / 1000 + 240,
  },
  expiresAt: NOW + 240_000,
  now: NOW,
  refreshCount: 1,
  lastRefreshAt: NOW - 60_000,
  error: null,
  endReason: null,
  maskedToken: 'eyJhbG…In0x',
  mock: true,
  ...change,
})

const view = (change: Partial<TabView> = {}): TabView => ({
  tabId: 7,
  content: true,
  bridge: true,
  snapshot: snapshot(),
  receivedAt: NOW,
  events: [
    { type: 'signed-in', at: NOW - 60_000, user: { email: 'admin@etl.local' }, source: 'local' },
  ],
  ...change,
})

let popup: Popup | undefined
afterEach(() => popup?.destroy())

function setup() {
  let clock = NOW
  const sent: Array<{ command: BridgeCommand; id: string }> = []
  const deps = {
    sendCommand: (command: BridgeCommand, id: string) => sent.push({ command, id }),
    requestAccess: vi.fn(async () => undefined),
    connect: vi.fn(async () => undefined),
    now: () => clock,
  }
  const root = document.createElement('main')
  document.body.replaceChildren(root)
  popup = createPopup(root, deps)
  return {
    root,
    popup,
    sent,
    deps,
    advance: (ms: number) => {
      clock += ms
    },
  }
}

const byName = (root: HTMLElement, name: string) =>
  [...root.querySelectorAll('button')].find((button) => button.textContent === name)!
const visibleText = (root: HTMLElement) =>
  [...root.querySelectorAll<HTMLElement>(':scope > section:not([hidden])')]
    .map((section) => section.textContent)
    .join(' ')

describe('createPopup', () => {
  it('shows the user, the claims with readable times and a bar of the time left', () => {
    const { root, popup, advance } = setup()
    popup.showView(view(), false)

    expect(root.querySelector('.who')!.textContent).toBe('Ada Admin <admin@etl.local> · role admin')
    expect(root.querySelector('.pill')!.textContent).toBe('Signed in')
    const bar = root.querySelector('[role="progressbar"]')!
    expect(bar.getAttribute('aria-label')).toBe('Access token time left')
    expect(bar.getAttribute('aria-valuemax')).toBe('300')
    expect(bar.getAttribute('aria-valuenow')).toBe('240')
    expect(bar.getAttribute('aria-valuetext')).toBe('4 min 00 s left')
    expect(root.querySelector('.claims')!.textContent).toMatch(/exp.*\(in 4 min 00 s\)/)
    expect(root.querySelector('.claims')!.textContent).toContain('jobs:read, jobs:submit')
    expect(root.querySelector('.facts')!.textContent).toContain('token eyJhbG…In0x')

    advance(3000)
    popup.tick()
    expect(bar.getAttribute('aria-valuenow')).toBe('237')
  })

  it('tells how to fix a page that has not installed the bridge, and offers no controls', () => {
    const { root, popup } = setup()
    popup.showView(view({ bridge: false, snapshot: null, receivedAt: null, events: [] }), false)

    expect(visibleText(root)).toContain('This page has not installed the Token Refresh Kit bridge')
    expect(visibleText(root)).toContain('installDevtoolsBridge(session)')
    expect(visibleText(root)).not.toContain('Expire access token')
  })

  it('offers to allow a site the extension has no access to', async () => {
    const { root, popup, deps } = setup()
    popup.setAccess({ url: 'https://app.example.com/jobs', granted: false })
    popup.showView(view({ content: false, bridge: false, snapshot: null }), false)

    expect(visibleText(root)).toContain('no access to https://app.example.com')
    byName(root, 'Allow on this site').click()
    expect(deps.requestAccess).toHaveBeenCalledTimes(1)
  })

  it('disables the mock-only controls, with the reason, for a page without mock controls', () => {
    const { root, popup } = setup()
    popup.showView(view({ snapshot: snapshot({ mock: false }) }), false)

    for (const name of ['Fail next refresh', 'Revoke session', 'Apply']) {
      const button = byName(root, name)
      expect(button.disabled).toBe(true)
      expect(
        root.querySelector(`#${button.getAttribute('aria-describedby')}`)!.textContent,
      ).toContain('Needs the mocks')
    }
    expect(byName(root, 'Expire access token').disabled).toBe(false)
    expect(byName(root, 'Invalidate access token').disabled).toBe(false)
  })

  it('disables the session controls while nobody is signed in', () => {
    const { root, popup } = setup()
    popup.showView(
      view({
        snapshot: snapshot({
          status: 'anonymous',
          claims: null,
          expiresAt: null,
          maskedToken: null,
        }),
      }),
      false,
    )
    expect(byName(root, 'Expire access token').disabled).toBe(true)
    expect(root.querySelector('#session-reason')!.textContent).toContain('Sign in to the app first')
    expect(byName(root, 'Revoke session').disabled).toBe(false)
  })

  it('sends a control, then shows what it did and what the app did next', () => {
    const { root, popup, sent } = setup()
    popup.showView(view(), false)
    const select = root.querySelector<HTMLSelectElement>('#fail-status')!
    select.value = '500'

    const fail = byName(root, 'Fail next refresh')
    fail.focus()
    fail.click()
    expect(sent.map(({ command }) => command)).toEqual([{ type: 'fail-next-refresh', status: 500 }])
    // Busy, not disabled: the button keeps the focus, and a second press sends nothing.
    expect(byName(root, 'Expire access token').getAttribute('aria-disabled')).toBe('true')
    expect(document.activeElement).toBe(fail)
    byName(root, 'Expire access token').click()
    expect(sent).toHaveLength(1)
    const entry = root.querySelector('[role="log"] .action')

    popup.showResult({ id: sent[0]!.id, ok: true, detail: 'The next refresh fails with 500.' })
    popup.showView(
      view({
        events: [
          ...view().events,
          { type: 'refresh-started', at: NOW + 1, reason: 'expired' },
          {
            type: 'refresh-failed',
            at: NOW + 2,
            error: { name: 'RefreshFailedError', code: 'REFRESH_FAILED', message: 'status 500' },
            transient: true,
            retryInMs: 800,
          },
          { type: 'refreshed', at: NOW + 900, expiresAt: NOW + 300_000, source: 'network' },
        ],
      }),
      false,
    )

    const log = root.querySelector('[role="log"]')!.textContent!
    expect(log).toContain('Fail next refresh (500) — The next refresh fails with 500.')
    expect(log).toMatch(
      /Then the app: Refresh started .* → Refresh failed, will retry .* → Refreshed/,
    )
    expect(byName(root, 'Expire access token').hasAttribute('aria-disabled')).toBe(false)
    // Updated in place, so that a screen reader hears only what is new.
    expect(root.querySelector('[role="log"] .action')).toBe(entry)
  })

  it('shows the lifetime of the current token in the lifetime field, and refuses 0 in place', () => {
    const { root, popup, sent } = setup()
    popup.showView(view(), false)
    const field = root.querySelector<HTMLInputElement>('#lifetime')!
    const { iat, exp } = view().snapshot!.claims as { iat: number; exp: number }
    expect(field.value).toBe(String(exp - iat))
    field.value = '0'
    field.dispatchEvent(new Event('input'))
    byName(root, 'Apply').click()
    expect(sent).toHaveLength(0)
    expect(field.getAttribute('aria-invalid')).toBe('true')
    expect(root.querySelector(`#${field.getAttribute('aria-describedby')}`)!.textContent).toBe(
      'Refused: the lifetime must be a whole number of seconds from 5 to 86400.',
    )
  })

  it('shows a failed control with its error', () => {
    const { root, popup, sent } = setup()
    popup.showView(view(), false)
    byName(root, 'Revoke session').click()
    popup.showResult({
      id: sent[0]!.id,
      ok: false,
      detail: 'Nothing was changed.',
      error: { name: 'Error', code: null, message: '[mock control] scenario answered 500' },
    })
    expect(root.querySelector('[role="log"]')!.textContent).toContain(
      'Revoke session — failed: [mock control] scenario answered 500 Nothing was changed.',
    )
  })

  it('refuses a lifetime out of bounds without sending it', () => {
    const { root, popup, sent } = setup()
    popup.showView(view(), false)
    const input = root.querySelector<HTMLInputElement>('#lifetime')!
    expect(root.querySelector('label[for="lifetime"]')!.textContent).toBe('Access token lifetime')

    // The mock server's range, 5 to 86 400 s: the 0, 1, -5 and 1e9 among the refused.
    for (const value of ['0', '1', '2', '4', '-5', '1e9', '86401', '7.5', '']) {
      input.value = value
      byName(root, 'Apply').click()
      expect({ value, invalid: input.getAttribute('aria-invalid') }).toEqual({
        value,
        invalid: 'true',
      })
    }
    expect(sent).toEqual([])

    for (const value of ['5', '10', '86400']) {
      input.value = value
      byName(root, 'Apply').click()
      popup.showResult({ id: sent.at(-1)!.id, ok: true, detail: 'Set.' })
    }
    expect(sent.map(({ command }) => command)).toEqual([
      { type: 'set-lifetime', seconds: 5 },
      { type: 'set-lifetime', seconds: 10 },
      { type: 'set-lifetime', seconds: 86_400 },
    ])
  })

  it('shows why a session ended', () => {
    const { root, popup } = setup()
    popup.showView(
      view({
        snapshot: snapshot({
          status: 'ended',
          claims: null,
          expiresAt: null,
          maskedToken: null,
          endReason: 'refresh-rejected',
          error: {
            name: 'RefreshRejectedError',
            code: 'REFRESH_REJECTED',
            message: 'Refresh was rejected',
          },
        }),
      }),
      false,
    )
    expect(root.querySelector('.pill')!.textContent).toBe('Session ended')
    expect(visibleText(root)).toContain('the server refused the refresh token')
    expect(visibleText(root)).toContain('RefreshRejectedError: Refresh was rejected')
  })
})
