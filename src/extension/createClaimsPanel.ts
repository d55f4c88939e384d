import type { SessionSnapshot } from 'token-refresh-kit/devtools'
import { formatClaimTime } from './formatClaimTime'
import { h } from './h'

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'auth_time'])

/** The access token's claims, times as dates with how long ago or until. */
export function createClaimsPanel() {
  const claims = h('dl', { class: 'claims' })
  const el = h(
    'section',
    { class: 'claims-panel', 'aria-labelledby': 'claims-title', hidden: true },
    h('h2', { id: 'claims-title' }, 'Claims'),
    claims,
  )

  return {
    el,
    /** `at`: the page's clock now (epoch ms). */
    render(current: SessionSnapshot['claims'], at: number) {
      if (!current) {
        claims.replaceChildren(h('p', {}, 'No claims: nobody is signed in.'))
        return
      }
      claims.replaceChildren(
        ...Object.entries(current).flatMap(([name, value]) => [
          h('dt', {}, name),
          h('dd', {}, formatClaim(name, value, at)),
        ]),
      )
    },
  }
}

function formatClaim(name: string, value: unknown, at: number): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') return formatClaimTime(value * 1000, at)
  if (Array.isArray(value)) return value.join(', ')
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
