import {
  LIFETIME_LIMITS,
  type BridgeCommand,
  type BridgeEvent,
  type SessionSnapshot,
} from 'token-refresh-kit/devtools'
import { END_REASONS, describeEvent } from './describeEvent'
import { formatClaimTime, formatClock, formatDuration } from './formatTime'
import { h } from './h'
import type { CommandResult, TabView } from './messages'

/** Where the popup stands with the tab's site, for the "no access" notice. */
export interface SiteAccess {
  /** The tab's URL, when the extension may know it. */
  url: string | null
  /** The extension holds host permission for the site. */
  granted: boolean
}

export interface PopupDeps {
  sendCommand(command: BridgeCommand, id: string): void
  /** Asks the tester for access to the tab's site ("Allow on this site"). */
  requestAccess(): Promise<void>
  /** Injects the content script into a tab of a site already granted. */
  connect(): Promise<void>
  now?: () => number
}

export interface Popup {
  showView(view: TabView, probing: boolean): void
  showResult(result: CommandResult): void
  setAccess(access: SiteAccess): void
  /** The connection to the service worker broke: a command still waiting will get no answer. */
  interrupt(): void
  /** Re-renders the countdown; called every second by the popup. */
  tick(): void
  destroy(): void
}

interface Action {
  id: string
  label: string
  state: 'pending' | 'done' | 'failed'
  detail: string
  events: BridgeEvent[]
  /** Its entry in the log, kept and updated in place so that a screen reader hears news once. */
  entry: ActionEntry
}

interface ActionEntry {
  element: HTMLElement
  detail: Text
  next: HTMLElement
  /** How many of `events` the entry shows. */
  shown: number
}

const MOCK_REASON =
  'Needs the mocks: this page passed no mock controls to installDevtoolsBridge(session, { mock }). ' +
  'Against a real backend, Expire and Invalidate still work.'
const SIGNED_OUT_REASON = 'Sign in to the app first: these act on a signed-in session.'
const STATUS_LABELS: Record<SessionSnapshot['status'], string> = {
  authenticated: 'Signed in',
  refreshing: 'Refreshing…',
  anonymous: 'Signed out',
  ended: 'Session ended',
}
const LIFETIME_REASON = `Refused: the lifetime must be a whole number of seconds from ${LIFETIME_LIMITS.min} to ${LIFETIME_LIMITS.max}.`
const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'auth_time'])
const keyOf = (event: BridgeEvent) => `${event.type}:${event.at}`
const clip = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/** Renders the popup (or DevTools panel) for one tab into `root`. */
export function createPopup(root: HTMLElement, deps: PopupDeps): Popup {
  const now = deps.now ?? Date.now
  let view: TabView | null = null
  let probing = true
  let access: SiteAccess | null = null
  let actions: Action[] = []
  let seen: Set<string> | null = null
  let nextId = 0

  const notice = h('section', { class: 'notice', 'aria-live': 'polite' })
  const statusPill = h('span', { class: 'pill' })
  const who = h('p', { class: 'who' })
  const endedReason = h('p', { class: 'ended-reason', hidden: true })
  const fill = h('div', { class: 'fill' })
  const bar = h(
    'div',
    {
      class: 'bar',
      role: 'progressbar',
      'aria-label': 'Access token time left',
      'aria-valuemin': 0,
    },
    fill,
  )
  const timeLeft = h('p', { class: 'time-left' })
  const facts = h('p', { class: 'facts' })
  const errorLine = h('p', { class: 'error', hidden: true })
  const claims = h('dl', { class: 'claims' })
  const history = h('ol', { class: 'history' })
  const log = h('div', { class: 'log', role: 'log', 'aria-label': 'What happened' })

  const failStatus = h(
    'select',
    { id: 'fail-status', 'aria-label': 'Failure to simulate' },
    h('option', { value: '401' }, '401 (rejected)'),
    h('option', { value: '500' }, '500 (server error)'),
    h('option', { value: 'network' }, 'network error'),
  )
  const lifetime = h('input', {
    id: 'lifetime',
    type: 'number',
    min: LIFETIME_LIMITS.min,
    max: LIFETIME_LIMITS.max,
    step: 1,
    value: 10,
    inputmode: 'numeric',
  })
  const lifetimeError = h('p', { id: 'lifetime-error', class: 'error', hidden: true })
  // Shows the lifetime of the page's current token until the tester types another.
  let lifetimeTyped = false
  lifetime.addEventListener('input', () => {
    lifetimeTyped = true
    showLifetimeError(null)
  })
  function showLifetimeError(message: string | null) {
    lifetimeError.hidden = message === null
    lifetimeError.textContent = message ?? ''
    if (message === null) {
      lifetime.removeAttribute('aria-invalid')
      lifetime.removeAttribute('aria-describedby')
    } else {
      lifetime.setAttribute('aria-invalid', 'true')
      lifetime.setAttribute('aria-describedby', 'lifetime-error')
    }
  }
  const mockReason = h('p', { id: 'mock-reason', class: 'reason', hidden: true }, MOCK_REASON)
  const sessionReason = h(
    'p',
    { id: 'session-reason', class: 'reason', hidden: true },
    SIGNED_OUT_REASON,
  )

  const button = (label: string, onClick: () => void, extra: Record<string, string> = {}) => {
    const element = h('button', { type: 'button', ...extra }, label)
    element.addEventListener('click', onClick)
    return element
  }
  const busy = () => actions[0]?.state === 'pending'
  const send = (label: string, command: BridgeCommand) => {
    if (busy()) return
    const id = `${now()}-${++nextId}`
    const detail = 'Sent to the page…'
    const action: Action = {
      id,
      label,
      state: 'pending',
      detail,
      events: [],
      entry: createEntry(label, detail),
    }
    actions = [action, ...actions]
    for (const dropped of actions.splice(3)) dropped.entry.element.remove()
    log.querySelector('.empty')?.remove()
    log.prepend(action.entry.element)
    renderControls()
    deps.sendCommand(command, id)
  }

  const expireButton = button('Expire access token', () =>
    send('Expire access token', { type: 'expire' }),
  )
  const invalidateButton = button('Invalidate access token', () =>
    send('Invalidate access token', { type: 'invalidate' }),
  )
  const refreshButton = button('Refresh now', () => send('Refresh now', { type: 'refresh' }))
  const failButton = button('Fail next refresh', () => {
    const status =
      failStatus.value === 'network' ? 'network' : failStatus.value === '500' ? 500 : 401
    send(`Fail next refresh (${status})`, { type: 'fail-next-refresh', status })
  })
  const revokeButton = button('Revoke session', () => send('Revoke session', { type: 'revoke' }))
  const lifetimeButton = button('Apply', () => {
    const seconds = Number(lifetime.value)
    if (
      lifetime.value.trim() === '' ||
      !Number.isInteger(seconds) ||
      seconds < LIFETIME_LIMITS.min ||
      seconds > LIFETIME_LIMITS.max
    ) {
      showLifetimeError(LIFETIME_REASON)
      return
    }
    showLifetimeError(null)
    send(`Access token lifetime ${seconds} s`, { type: 'set-lifetime', seconds })
  })
  const sessionButtons = [expireButton, invalidateButton, refreshButton]
  const mockControls = [failButton, failStatus, revokeButton, lifetime, lifetimeButton]

  const sessionPanel = h(
    'section',
    { class: 'session', 'aria-labelledby': 'session-title', hidden: true },
    h('h2', { id: 'session-title' }, 'Session ', statusPill),
    endedReason,
    who,
    bar,
    timeLeft,
    facts,
    errorLine,
  )
  const controlsPanel = h(
    'section',
    { class: 'controls', 'aria-labelledby': 'controls-title', hidden: true },
    h('h2', { id: 'controls-title' }, 'Simulate'),
    h('p', { class: 'group' }, 'Any backend'),
    h('div', { class: 'row' }, expireButton, invalidateButton, refreshButton),
    sessionReason,
    h('p', { class: 'group' }, 'Mock backend'),
    h('div', { class: 'row' }, failButton, failStatus),
    h('div', { class: 'row' }, revokeButton),
    h(
      'div',
      { class: 'row' },
      h('label', { for: 'lifetime' }, 'Access token lifetime'),
      lifetime,
      h('span', { class: 'unit' }, 's'),
      lifetimeButton,
    ),
    lifetimeError,
    h(
      'p',
      { class: 'reason' },
      'For tokens issued from now on. Under 10 s the app refreshes more than 10 times a minute, which trips its breaker.',
    ),
    mockReason,
    log,
  )
  const claimsPanel = h(
    'section',
    { class: 'claims-panel', 'aria-labelledby': 'claims-title', hidden: true },
    h('h2', { id: 'claims-title' }, 'Claims'),
    claims,
  )
  const historyPanel = h(
    'section',
    { class: 'history-panel', 'aria-labelledby': 'history-title', hidden: true },
    h('h2', { id: 'history-title' }, 'Refresh history'),
    history,
  )
  root.replaceChildren(notice, sessionPanel, controlsPanel, claimsPanel, historyPanel)

  const pageNow = () =>
    view?.snapshot && view.receivedAt !== null ? now() - view.receivedAt + view.snapshot.now : now()

  function renderNotice(): boolean {
    const message = noticeContent()
    notice.replaceChildren(...(message ?? []))
    notice.hidden = message === null
    return message === null
  }

  function noticeContent(): Node[] | null {
    if (!view || (!view.content && probing)) return [h('p', {}, 'Looking for the page…')]
    if (!view.content) return accessNotice()
    if (!view.bridge) {
      return [
        h(
          'p',
          { class: 'headline' },
          'This page has not installed the Token Refresh Kit bridge, so there is no session to show.',
        ),
        h(
          'p',
          {},
          'Fix: in the app, in development builds, call ',
          h('code', {}, 'installDevtoolsBridge(session)'),
          ' (from ',
          h('code', {}, 'src/core/devtools/installDevtoolsBridge'),
          '), and pass ',
          h('code', {}, '{ mock }'),
          ' when it runs on the mocks. Then reload the page.',
        ),
      ]
    }
    return null
  }

  function accessNotice(): Node[] {
    const url = access?.url ?? null
    let origin: string | null = null
    try {
      const parsed = url ? new URL(url) : null
      if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:'))
        origin = parsed.origin
    } catch {
      origin = null
    }
    if (url && !origin) {
      return [
        h(
          'p',
          {},
          'This tab is not a web page the extension can inspect (only http and https pages).',
        ),
      ]
    }
    if (!origin) {
      return [
        h(
          'p',
          {},
          "The extension cannot reach this tab: it runs on localhost and 127.0.0.1 only, unless you allow a site. Open this popup from the extension's toolbar button on that tab to allow it.",
        ),
      ]
    }
    if (access?.granted) {
      return [
        h('p', {}, `The page at ${origin} was opened before the extension could join it.`),
        button('Connect to this page', () => void deps.connect()),
      ]
    }
    return [
      h(
        'p',
        {},
        `The extension has no access to ${origin}: by default it runs only on localhost and 127.0.0.1.`,
      ),
      button('Allow on this site', () => void deps.requestAccess()),
    ]
  }

  function renderControls() {
    const snapshot = view?.snapshot
    const pending = busy()
    const signedIn = snapshot?.status === 'authenticated' || snapshot?.status === 'refreshing'
    // A control waiting for its answer keeps the focus (aria-disabled, not disabled): a
    // disabled button would drop it to the page's body.
    for (const control of [...sessionButtons, ...mockControls]) {
      if (pending) control.setAttribute('aria-disabled', 'true')
      else control.removeAttribute('aria-disabled')
    }
    for (const control of sessionButtons) {
      control.disabled = !signedIn
      if (!signedIn) control.setAttribute('aria-describedby', 'session-reason')
      else control.removeAttribute('aria-describedby')
    }
    sessionReason.hidden = signedIn
    const hasMock = snapshot?.mock === true
    for (const control of mockControls) {
      control.disabled = !hasMock
      if (!hasMock) control.setAttribute('aria-describedby', 'mock-reason')
      else control.removeAttribute('aria-describedby')
    }
    mockReason.hidden = hasMock
  }

  function renderSession() {
    const snapshot = view?.snapshot
    if (!snapshot) return
    const status = snapshot.status
    statusPill.textContent = STATUS_LABELS[status]
    statusPill.className = `pill ${status}`
    endedReason.hidden = !snapshot.endReason
    endedReason.textContent = snapshot.endReason
      ? `Why: ${END_REASONS[snapshot.endReason] ?? snapshot.endReason}.`
      : ''
    const claimsOf = snapshot.claims
    const name = claimsOf?.name ?? claimsOf?.username
    const email = claimsOf?.email
    who.textContent = claimsOf
      ? [
          name && email
            ? `${String(name)} <${String(email)}>`
            : String(email ?? name ?? claimsOf.sub ?? 'Unknown user'),
          claimsOf.role ? `role ${String(claimsOf.role)}` : null,
        ]
          .filter(Boolean)
          .join(' · ')
      : 'Nobody is signed in.'
    const parts = [`Refreshes: ${snapshot.refreshCount}`]
    if (snapshot.lastRefreshAt) parts.push(`last at ${formatClock(snapshot.lastRefreshAt)}`)
    if (snapshot.maskedToken) parts.push(`token ${snapshot.maskedToken}`)
    facts.textContent = parts.join(' · ')
    errorLine.hidden = !snapshot.error
    errorLine.textContent = snapshot.error
      ? `${snapshot.error.name}: ${snapshot.error.message}`
      : ''
    renderCountdown()
    renderClaims()
    const { iat, exp } = claimsOf ?? {}
    if (!lifetimeTyped && typeof iat === 'number' && typeof exp === 'number' && exp > iat)
      lifetime.value = String(exp - iat)
  }

  function renderCountdown() {
    const snapshot = view?.snapshot
    if (!snapshot || snapshot.expiresAt === null || !snapshot.claims) {
      bar.hidden = true
      timeLeft.textContent =
        snapshot?.status === 'ended' ? 'No token: the session has ended.' : 'No token.'
      return
    }
    bar.hidden = false
    const { iat, exp } = snapshot.claims
    const lifetimeSeconds =
      typeof iat === 'number' && typeof exp === 'number' && exp > iat ? exp - iat : null
    const left = (snapshot.expiresAt - pageNow()) / 1000
    const max = Math.max(1, Math.round(lifetimeSeconds ?? Math.max(left, 1)))
    const value = Math.min(max, Math.max(0, Math.floor(left)))
    bar.setAttribute('aria-valuemax', String(max))
    bar.setAttribute('aria-valuenow', String(value))
    bar.setAttribute('aria-valuetext', left > 0 ? `${formatDuration(left)} left` : 'expired')
    const ratio = value / max
    fill.style.width = `${(ratio * 100).toFixed(1)}%`
    fill.className = `fill ${ratio > 0.5 ? 'good' : ratio > 0.2 ? 'warn' : 'bad'}`
    const lives = lifetimeSeconds ? ` · lives ${formatDuration(lifetimeSeconds)}` : ''
    timeLeft.textContent =
      left > 0
        ? `${formatDuration(left)} left · expires at ${formatClock(snapshot.expiresAt)}${lives}`
        : `Expired ${formatDuration(-left)} ago (${formatClock(snapshot.expiresAt)})${lives}`
  }

  function renderClaims() {
    const current = view?.snapshot?.claims
    if (!current) {
      claims.replaceChildren(h('p', {}, 'No claims: nobody is signed in.'))
      return
    }
    const at = pageNow()
    claims.replaceChildren(
      ...Object.entries(current).flatMap(([name, value]) => [
        h('dt', {}, name),
        h(
          'dd',
          {},
          TIME_CLAIMS.has(name) && typeof value === 'number'
            ? formatClaimTime(value, at)
            : Array.isArray(value)
              ? value.join(', ')
              : typeof value === 'object'
                ? JSON.stringify(value)
                : String(value),
        ),
      ]),
    )
  }

  function renderHistory() {
    const events = view?.events ?? []
    if (events.length === 0) {
      history.replaceChildren(h('li', { class: 'empty' }, 'Nothing yet.'))
      return
    }
    history.replaceChildren(
      ...[...events].reverse().map((event) => {
        const { title, detail, tone } = describeEvent(event)
        return h(
          'li',
          { class: tone },
          h('time', {}, formatClock(event.at)),
          h('strong', {}, title),
          detail ? h('span', {}, detail) : null,
        )
      }),
    )
  }

  function createEntry(label: string, detail: string): ActionEntry {
    const detailText = document.createTextNode(detail)
    const next = h('p', { class: 'next' }, 'Then the app: ', h('span', { class: 'wait' }, '…'))
    const element = h(
      'div',
      { class: 'action pending' },
      h('p', {}, h('strong', {}, label), ' — ', detailText),
      next,
    )
    return { element, detail: detailText, next, shown: 0 }
  }

  // Appends to the entry what is new since it was last drawn; never rebuilds the log.
  function updateEntry(action: Action) {
    const { entry } = action
    entry.element.className = `action ${action.state}`
    if (entry.detail.data !== action.detail) entry.detail.data = action.detail
    entry.next.hidden = action.state === 'failed'
    const fresh = action.events.slice(entry.shown)
    const wait = entry.next.querySelector('.wait')
    if (fresh.length > 0) {
      wait?.remove()
      for (const event of fresh) {
        const { title, detail } = describeEvent(event)
        entry.next.append(
          entry.shown > 0 ? ' → ' : '',
          h('span', {}, detail ? `${title} (${clip(detail)})` : title),
        )
        entry.shown += 1
      }
    } else if (entry.shown === 0 && wait && action.state === 'done') {
      wait.textContent = 'nothing yet (it reacts at its next request or refresh).'
    }
  }

  function renderEmptyLog() {
    log.replaceChildren(
      h(
        'p',
        { class: 'empty' },
        'Use a control: what it did and what the app did next appear here.',
      ),
    )
  }

  function collectNewEvents() {
    const events = view?.events ?? []
    if (seen === null) {
      seen = new Set(events.map(keyOf))
      return
    }
    const fresh = events.filter((event) => !seen!.has(keyOf(event)))
    for (const event of fresh) seen.add(keyOf(event))
    const latest = actions[0]
    if (latest && latest.state !== 'failed' && fresh.length > 0) {
      latest.events = [...latest.events, ...fresh].slice(0, 8)
      updateEntry(latest)
    }
  }

  function render() {
    const ready = renderNotice()
    sessionPanel.hidden = !ready
    controlsPanel.hidden = !ready
    claimsPanel.hidden = !ready
    historyPanel.hidden = !ready
    if (!ready) return
    renderSession()
    renderControls()
    renderHistory()
  }

  renderEmptyLog()
  render()

  return {
    showView(next, nextProbing) {
      view = next
      probing = nextProbing
      collectNewEvents()
      render()
    },
    showResult(result) {
      const action = actions.find((candidate) => candidate.id === result.id)
      if (!action) return
      action.state = result.ok ? 'done' : 'failed'
      action.detail = result.ok
        ? result.detail
        : `failed: ${result.error?.message ?? 'unknown error'} ${result.detail}`.trim()
      updateEntry(action)
      renderControls()
    },
    setAccess(next) {
      access = next
      render()
    },
    interrupt() {
      const waiting = actions.filter((action) => action.state === 'pending')
      if (waiting.length === 0) return
      for (const action of waiting) {
        action.state = 'failed'
        action.detail =
          'no answer: the extension restarted meanwhile. Check the history, then try again.'
        updateEntry(action)
      }
      renderControls()
    },
    tick() {
      if (!view?.snapshot) return
      renderCountdown()
      renderClaims()
    },
    destroy() {
      root.replaceChildren()
    },
  }
}
