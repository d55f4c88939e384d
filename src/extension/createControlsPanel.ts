import type { BridgeCommand, SessionSnapshot } from 'token-refresh-kit/devtools'
import { button } from './button'
import { createLifetimeField } from './createLifetimeField'
import { h } from './h'

const MOCK_REASON =
  'Needs the mocks: this page passed no mock controls to installDevtoolsBridge(session, { mock }). ' +
  'Against a real backend, Expire and Invalidate still work.'
type Control = HTMLButtonElement | HTMLSelectElement | HTMLInputElement

const SIGNED_OUT_REASON = 'Sign in to the app first: these act on a signed-in session.'

/** The controls a tester uses; `send` logs and sends one, `log` is shown under them. */
export function createControlsPanel(
  send: (label: string, command: BridgeCommand) => void,
  log: HTMLElement,
) {
  const failStatus = h(
    'select',
    { id: 'fail-status', 'aria-label': 'Failure to simulate' },
    h('option', { value: '401' }, '401 (rejected)'),
    h('option', { value: '500' }, '500 (server error)'),
    h('option', { value: 'network' }, 'network error'),
  )
  const lifetime = createLifetimeField()
  const mockReason = h('p', { id: 'mock-reason', class: 'reason', hidden: true }, MOCK_REASON)
  const sessionReason = h(
    'p',
    { id: 'session-reason', class: 'reason', hidden: true },
    SIGNED_OUT_REASON,
  )

  const sessionButtons = [
    button('Expire access token', () => send('Expire access token', { type: 'expire' })),
    button('Invalidate access token', () =>
      send('Invalidate access token', { type: 'invalidate' }),
    ),
    button('Refresh now', () => send('Refresh now', { type: 'refresh' })),
  ]
  const failButton = button('Fail next refresh', () => {
    const status =
      failStatus.value === 'network' ? 'network' : failStatus.value === '500' ? 500 : 401
    send(`Fail next refresh (${status})`, { type: 'fail-next-refresh', status })
  })
  const revokeButton = button('Revoke session', () => send('Revoke session', { type: 'revoke' }))
  const lifetimeButton = button('Apply', () => {
    const seconds = lifetime.read()
    if (seconds !== null)
      send(`Access token lifetime ${seconds} s`, { type: 'set-lifetime', seconds })
  })
  const mockControls: Control[] = [
    failButton,
    failStatus,
    revokeButton,
    lifetime.input,
    lifetimeButton,
  ]

  const el = h(
    'section',
    { class: 'controls', 'aria-labelledby': 'controls-title', hidden: true },
    h('h2', { id: 'controls-title' }, 'Simulate'),
    h('p', { class: 'group' }, 'Any backend'),
    h('div', { class: 'row' }, ...sessionButtons),
    sessionReason,
    h('p', { class: 'group' }, 'Mock backend'),
    h('div', { class: 'row' }, failButton, failStatus),
    h('div', { class: 'row' }, revokeButton),
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'lifetime' }, 'Access token lifetime'),
      lifetime.input,
      h('span', { class: 'unit' }, 's'),
      lifetimeButton,
    ),
    lifetime.error,
    h(
      'p',
      { class: 'reason' },
      'For tokens issued from now on. Under 10 s the app refreshes more than 10 times a minute, which trips its breaker.',
    ),
    mockReason,
    log,
  )

  /** Disables, with the reason, what cannot act now. */
  function enable(controls: Control[], able: boolean, reason: HTMLElement) {
    for (const control of controls) {
      control.disabled = !able
      if (able) control.removeAttribute('aria-describedby')
      else control.setAttribute('aria-describedby', reason.id)
    }
    reason.hidden = able
  }

  return {
    el,
    /** `busy`: a control sent is waiting for its answer. */
    render(snapshot: SessionSnapshot | null, busy: boolean) {
      // A control waiting for its answer keeps the focus (aria-disabled, not disabled): a
      // disabled button would drop it to the page's body.
      for (const control of [...sessionButtons, ...mockControls]) {
        if (busy) control.setAttribute('aria-disabled', 'true')
        else control.removeAttribute('aria-disabled')
      }
      const signedIn = snapshot?.status === 'authenticated' || snapshot?.status === 'refreshing'
      enable(sessionButtons, signedIn, sessionReason)
      enable(mockControls, snapshot?.mock === true, mockReason)
    },
    /** Shows the lifetime of the page's current token in the lifetime field. */
    showLifetime: lifetime.follow,
  }
}
