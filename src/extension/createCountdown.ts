import type { SessionSnapshot } from 'token-refresh-kit/devtools'
import { formatClock, formatDuration } from 'token-refresh-kit'
import { h } from './h'

/** The access token's time left: a bar (a progressbar for screen readers) and a line of text. */
export function createCountdown() {
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

  return {
    el: h('div', { class: 'countdown' }, bar, timeLeft),
    /** Counts down to the snapshot's expiry from `at`, the page's clock now (epoch ms). */
    render(snapshot: Pick<SessionSnapshot, 'expiresAt' | 'claims' | 'status'>, at: number) {
      if (snapshot.expiresAt === null || !snapshot.claims) {
        bar.hidden = true
        timeLeft.textContent =
          snapshot.status === 'ended' ? 'No token: the session has ended.' : 'No token.'
        return
      }
      bar.hidden = false
      const { iat, exp } = snapshot.claims
      const lifetime =
        typeof iat === 'number' && typeof exp === 'number' && exp > iat ? exp - iat : null
      const left = (snapshot.expiresAt - at) / 1000
      const max = Math.max(1, Math.round(lifetime ?? Math.max(left, 1)))
      const value = Math.min(max, Math.max(0, Math.ceil(left)))
      bar.setAttribute('aria-valuemax', String(max))
      bar.setAttribute('aria-valuenow', String(value))
      bar.setAttribute('aria-valuetext', left > 0 ? `${formatDuration(left)} left` : 'expired')
      const ratio = value / max
      fill.style.width = `${(ratio * 100).toFixed(1)}%`
      fill.className = `fill ${ratio > 0.5 ? 'good' : ratio > 0.2 ? 'warn' : 'bad'}`
      const lives = lifetime ? ` · lives ${formatDuration(lifetime)}` : ''
      const until = formatClock(snapshot.expiresAt)
      timeLeft.textContent =
        left > 0
          ? `${formatDuration(left)} left · expires at ${until}${lives}`
          : `Expired ${formatDuration(-left)} ago (${until})${lives}`
    },
  }
}
