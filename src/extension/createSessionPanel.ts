import { describeEndReason } from 'token-refresh-kit/devtools'
import type { SessionSnapshot } from 'token-refresh-kit/devtools'
import { formatClock } from 'token-refresh-kit'
import { createCountdown } from './createCountdown'
import { h } from './h'

const STATUS_LABELS: Record<SessionSnapshot['status'], string> = {
  authenticated: 'Signed in',
  refreshing: 'Refreshing…',
  anonymous: 'Signed out',
  ended: 'Session ended',
}

/** The session: its status, who is signed in, the countdown, the refresh count and the last error. */
export function createSessionPanel() {
  const statusPill = h('span', { class: 'pill' })
  const endedReason = h('p', { class: 'ended-reason', hidden: true })
  const who = h('p', { class: 'who' })
  const countdown = createCountdown()
  const facts = h('p', { class: 'facts' })
  const errorLine = h('p', { class: 'error', hidden: true })
  const el = h(
    'section',
    { class: 'session', 'aria-labelledby': 'session-title', hidden: true },
    h('h2', { id: 'session-title' }, 'Session ', statusPill),
    endedReason,
    who,
    countdown.el,
    facts,
    errorLine,
  )

  return {
    el,
    /** `at`: the page's clock now (epoch ms). */
    render(snapshot: SessionSnapshot, at: number) {
      statusPill.textContent = STATUS_LABELS[snapshot.status]
      statusPill.className = `pill ${snapshot.status}`
      endedReason.hidden = !snapshot.endReason
      endedReason.textContent = snapshot.endReason
        ? `Why: ${describeEndReason(snapshot.endReason)}.`
        : ''
      who.textContent = describeUser(snapshot.claims)
      const parts = [`Refreshes: ${snapshot.refreshCount}`]
      if (snapshot.lastRefreshAt) parts.push(`last at ${formatClock(snapshot.lastRefreshAt)}`)
      if (snapshot.maskedToken) parts.push(`token ${snapshot.maskedToken}`)
      facts.textContent = parts.join(' · ')
      errorLine.hidden = !snapshot.error
      errorLine.textContent = snapshot.error
        ? `${snapshot.error.name}: ${snapshot.error.message}`
        : ''
      countdown.render(snapshot, at)
    },
    tick: countdown.render,
  }
}

/** `Ada Admin <admin@etl.local> · role admin`, from the claims. */
function describeUser(claims: SessionSnapshot['claims']): string {
  if (!claims) return 'Nobody is signed in.'
  const name = claims.name ?? claims.username
  const email = claims.email
  return [
    name && email
      ? `${String(name)} <${String(email)}>`
      : String(email ?? name ?? claims.sub ?? 'Unknown user'),
    claims.role ? `role ${String(claims.role)}` : null,
  ]
    .filter(Boolean)
    .join(' · ')
}
