import { button } from './button'
import { createCountdown } from './createCountdown'
import { createNetworkLog } from './createNetworkLog'
import { describeFailure, type DebuggerView, type NetworkCommand } from './debuggerProtocol'
import { formatClaimTime } from './formatClaimTime'
import { h } from './h'
import type { RefreshFailure } from './networkRules'

export interface AttachActions {
  /** Asks for the debugger permission if needed, then attaches to the tab. */
  attach(): Promise<void>
  detach(): void
  sendNetwork(label: string, command: NetworkCommand): void
}

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'auth_time'])

/** Debugger mode for a page without the bridge: attach, see its tokens, break them at the network. */
export function createAttachPanel(actions: AttachActions) {
  const error = h('p', { class: 'reason', role: 'alert' })
  const attachButton = button('Attach to this tab', () => void actions.attach())
  const detachButton = button('Detach', () => actions.detach())
  const countdown = createCountdown()
  const token = h('p', { class: 'facts' })
  const claims = h('dl', { class: 'claims' })

  const failKind = h(
    'select',
    { id: 'net-fail-kind', 'aria-label': 'Refresh failure to simulate' },
    h('option', { value: '401' }, '401 (rejected)'),
    h('option', { value: '500' }, '500 (server error)'),
    h('option', { value: 'network' }, 'network error'),
    h('option', { value: 'slow' }, 'slow'),
  )
  const slowSeconds = numberInput('net-slow', 'Slow by (seconds)', 5, 1, 120)
  const latency = numberInput('net-latency', 'Latency (ms)', 0, 0, 30_000)
  const pattern = h('input', {
    id: 'net-pattern',
    type: 'text',
    placeholder: '*/auth/refresh*',
    'aria-label': 'Refresh call URL pattern',
  })
  const failure = (): RefreshFailure => {
    if (failKind.value === 'slow') return { kind: 'slow', seconds: Number(slowSeconds.value) || 5 }
    return failKind.value === 'network'
      ? { kind: 'network' }
      : { kind: failKind.value === '500' ? 500 : 401 }
  }
  const log = createNetworkLog()
  // In the document only while attached: the bridge panels' names stay unique otherwise.
  const attached = h(
    'div',
    {},
    countdown.el,
    token,
    claims,
    h('h3', {}, 'Simulate at the network'),
    h(
      'div',
      { class: 'row' },
      button('Expire access token', () =>
        actions.sendNetwork('Expire access token', { type: 'expire' }),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      button('Fail next refresh', () => {
        const chosen = failure()
        actions.sendNetwork(`Fail next refresh (${describeFailure(chosen)})`, {
          type: 'fail-next-refresh',
          failure: chosen,
        })
      }),
      failKind,
      h('label', { for: 'net-slow' }, 'by'),
      slowSeconds,
      h('span', { class: 'unit' }, 's'),
    ),
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'net-latency' }, 'Latency'),
      latency,
      h('span', { class: 'unit' }, 'ms'),
      button('Apply latency', () => {
        const ms = Math.max(0, Math.round(Number(latency.value) || 0))
        actions.sendNetwork(`Latency ${ms} ms`, { type: 'set-latency', ms })
      }),
    ),
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'net-pattern' }, 'Refresh call'),
      pattern,
      button('Apply pattern', () => {
        const value = pattern.value.trim() || null
        actions.sendNetwork(value ? `Refresh call: ${value}` : 'Refresh call: recognised', {
          type: 'set-refresh-pattern',
          pattern: value,
        })
      }),
    ),
    h(
      'p',
      { class: 'reason' },
      'Refresh calls are those whose answers carried a new token, URLs ending in /refresh or /token, or your pattern (* for anything).',
    ),
    log.el,
  )
  const el = h(
    'section',
    { class: 'attach', 'aria-labelledby': 'attach-title', hidden: true },
    h('h2', { id: 'attach-title' }, 'Debugger mode'),
    h(
      'p',
      {},
      'Without the bridge, the extension can still watch this tab at the network: the Bearer tokens it sends (claims and time left, never the token), its refresh calls and 401s, and break them on purpose. Only this tab is affected.',
    ),
    h(
      'p',
      { class: 'reason' },
      'While attached, Chrome shows "Token Refresh Kit started debugging this browser" above the page: that is this mode. Detach, or Cancel on that bar, ends it and restores the page\'s traffic.',
    ),
    error,
    h('div', { class: 'row' }, attachButton, detachButton),
  )
  let current: DebuggerView | null = null

  function renderToken(at: number) {
    const seen = current?.token
    const exp = seen?.claims?.exp
    countdown.render(
      {
        status: 'authenticated',
        claims: seen?.claims ?? null,
        expiresAt: typeof exp === 'number' ? exp * 1000 : null,
      },
      at,
    )
    token.textContent = seen
      ? `Last Bearer token sent: ${seen.masked ?? 'opaque'}`
      : 'No Bearer token seen yet: use the page.'
    claims.replaceChildren(
      ...Object.entries(seen?.claims ?? {}).flatMap(([name, value]) => [
        h('dt', {}, name),
        h(
          'dd',
          {},
          TIME_CLAIMS.has(name) && typeof value === 'number'
            ? formatClaimTime(value * 1000, at)
            : Array.isArray(value)
              ? value.join(', ')
              : typeof value === 'object'
                ? JSON.stringify(value)
                : String(value),
        ),
      ]),
    )
  }

  return {
    el,
    attached: () => current?.attached === true,
    render(view: DebuggerView, at: number) {
      current = view
      error.textContent = view.error ?? ''
      error.hidden = !view.error
      attachButton.hidden = view.attached
      detachButton.hidden = !view.attached
      if (view.attached && !attached.isConnected) el.append(attached)
      if (!view.attached) attached.remove()
      if (view.attached) renderToken(at)
      log.render(view.attached ? view.actions : [])
    },
    tick(at: number) {
      if (current?.attached) renderToken(at)
    },
  }
}

function numberInput(id: string, label: string, value: number, min: number, max: number) {
  return h('input', {
    id,
    type: 'number',
    inputmode: 'numeric',
    min,
    max,
    value,
    'aria-label': label,
  })
}
