import { useState } from 'react'
import { formatClock } from 'token-refresh-kit'
import { useAuth, useAuthStore } from 'token-refresh-kit/react'
import { Alert } from '../components/Alert'
import { formatDate } from '../components/formatDate'
import { PageHead } from '../components/PageHead'
import { RefreshTimeline } from '../components/RefreshTimeline'
import { TokenLifeBar } from '../components/TokenLifeBar'

const known = [
  'sub',
  'user_id',
  'username',
  'email',
  'name',
  'role',
  'permissions',
  'iat',
  'exp',
  'jti',
]

function claimValue(key: string, value: unknown): string {
  if ((key === 'iat' || key === 'exp' || key === 'nbf') && typeof value === 'number') {
    return `${formatDate(value * 1000)} (${value})`
  }
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'object' && value !== null) return JSON.stringify(value)
  return String(value)
}

export function SessionPage() {
  const { user, refreshToken } = useAuth()
  const { refreshCount, lastRefreshAt, error, status, expiresAt } = useAuthStore((s) => s)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; at: number } | null>(null)

  const refreshNow = async () => {
    setBusy(true)
    const ok = await refreshToken()
    setResult({ ok, at: Date.now() })
    setBusy(false)
  }

  const failure = error && status !== 'ended' ? error.message : null
  const claims = Object.entries(user ?? {}).sort(
    ([a], [b]) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99),
  )

  return (
    <div className="page">
      <PageHead
        title="Session"
        subtitle="What the app knows about your sign-in. Tokens themselves are never shown."
      >
        <button
          type="button"
          className="button button--primary"
          onClick={() => void refreshNow()}
          disabled={busy || status !== 'authenticated'}
        >
          {busy ? 'Refreshing…' : 'Refresh now'}
        </button>
      </PageHead>
      {/* One notice per failure: the engine's error, gone as soon as a refresh succeeds. */}
      {failure ? (
        <Alert tone="warning">{failure}</Alert>
      ) : (
        result &&
        (result.ok ? (
          <Alert tone="success">Token refreshed at {formatClock(result.at)}.</Alert>
        ) : lastRefreshAt && lastRefreshAt > result.at ? (
          // The click failed, and the engine's own retry has since succeeded.
          <Alert tone="success">
            Token refreshed at {formatClock(lastRefreshAt)}, after a retry.
          </Alert>
        ) : (
          <Alert tone="danger">The refresh failed: see the history below.</Alert>
        ))
      )}
      <div className="grid grid--session">
        <section className="card" aria-labelledby="token-title">
          <h2 className="card__title" id="token-title">
            Access token
          </h2>
          <TokenLifeBar />
          <dl className="facts facts--row">
            <div>
              <dt>Status</dt>
              <dd>{status}</dd>
            </div>
            <div>
              <dt>Expires</dt>
              <dd>{expiresAt ? formatClock(expiresAt) : '—'}</dd>
            </div>
            <div>
              <dt>Refreshes</dt>
              <dd data-testid="refresh-count">{refreshCount}</dd>
            </div>
            <div>
              <dt>Last refresh</dt>
              <dd>{lastRefreshAt ? formatClock(lastRefreshAt) : 'not yet'}</dd>
            </div>
          </dl>
          <h3 className="card__subtitle">Claims</h3>
          <table className="table table--claims">
            <tbody>
              {claims.map(([key, value]) => (
                <tr key={key}>
                  <th scope="row">
                    <code>{key}</code>
                  </th>
                  <td>{claimValue(key, value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="history-title">
          <h2 className="card__title" id="history-title">
            Refresh history
          </h2>
          <RefreshTimeline />
        </section>
      </div>
    </div>
  )
}
