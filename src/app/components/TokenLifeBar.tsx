import { formatTimeLeft, useAuthStore, useTimeLeft } from 'token-refresh-kit/react'
import { ProgressBar } from './ProgressBar'

/** The access token's remaining life as a bar; re-renders itself once a second. */
export function TokenLifeBar() {
  const left = useTimeLeft()
  const lifetime = useAuthStore((s) => {
    const { iat, exp } = s.user ?? {}
    return typeof iat === 'number' && typeof exp === 'number' && exp > iat ? exp - iat : null
  })
  if (left === null) return <p className="cell-sub">No access token.</p>
  const share = lifetime ? (left / lifetime) * 100 : null
  return (
    <div className="life">
      <ProgressBar
        value={share}
        label="Access token time left"
        size="large"
        tone={share !== null && share < 20 ? 'warning' : 'success'}
      />
      <div className="life__legend">
        <span>
          <strong>{formatTimeLeft(left)}</strong> left
        </span>
        {lifetime && <span>of {formatTimeLeft(lifetime)}</span>}
      </div>
    </div>
  )
}
