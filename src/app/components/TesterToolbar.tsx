import {
  LIFETIME_LIMITS,
  createDevtoolsHandle,
  type FailRefreshStatus,
} from 'token-refresh-kit/devtools'
import { useEffect, useId, useState, type ReactNode } from 'react'
import { useAuthSession } from 'token-refresh-kit/react'
import type { AuthStateSnapshot } from 'token-refresh-kit/msw'
import { mockToolsBuilt, type MockControlClient } from '../mockControls'
import { ConfirmButton } from './ConfirmButton'

const OPEN_KEY = 'etl-console:toolbar-open'

const counterLabels: Array<[keyof AuthStateSnapshot['counters'], string]> = [
  ['logins', 'logins'],
  ['refreshes', 'refreshes'],
  ['refreshes_rejected', 'rejected'],
  ['refreshes_failed', 'failed'],
  ['reuse_detected', 'reuse'],
  ['unauthorized', '401s'],
  ['requests', 'requests'],
]

interface TesterToolbarProps {
  controls: MockControlClient
}

/**
 * The control API's scenarios and live counters, for testers: on the mocks, or in dev against
 * `npm run mock:server`. Nothing at all in a build for a backend.
 */
export const TesterToolbar: (props: TesterToolbarProps) => ReactNode = mockToolsBuilt
  ? Toolbar
  : () => null

function Toolbar({ controls }: TesterToolbarProps) {
  const session = useAuthSession()
  const [open, setOpen] = useState(() => localStorage.getItem(OPEN_KEY) === 'true')
  const [state, setState] = useState<AuthStateSnapshot | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [failStatus, setFailStatus] = useState<FailRefreshStatus>(401)
  const [lifetime, setLifetime] = useState('')
  const [lifetimeError, setLifetimeError] = useState<string | null>(null)
  const lifetimeErrorId = useId()
  const [latency, setLatency] = useState('')

  useEffect(() => {
    if (!open) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = async () => {
      try {
        const next = await controls.getState()
        if (!stopped) setState(next)
      } catch {
        // The counters are a convenience; a missed poll shows the previous ones.
      }
      if (!stopped) timer = setTimeout(poll, 2000)
    }
    void poll()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [controls, open])

  const act = async (label: string, run: () => Promise<void>) => {
    try {
      await run()
      setMessage(label)
      setState(await controls.getState())
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error))
    }
  }

  const ttl = state?.config.access_ttl_seconds
  const delay = state?.config.latency_ms

  return (
    <aside className={`toolbar${open ? '' : ' toolbar--closed'}`} aria-label="Tester toolbar">
      <button
        type="button"
        className="toolbar__toggle"
        aria-expanded={open}
        onClick={() => {
          localStorage.setItem(OPEN_KEY, String(!open))
          setOpen(!open)
        }}
      >
        Mock controls
      </button>
      {open && (
        <div className="toolbar__body">
          <div className="toolbar__group">
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                act('Access tokens expired on the server', controls.expireAccessTokens)
              }
            >
              Expire tokens
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                act('Token expired in this tab', async () =>
                  createDevtoolsHandle(session).forceExpire(),
                )
              }
            >
              Expire in this tab
            </button>
          </div>
          <div className="toolbar__group">
            <label className="toolbar__field">
              <span>Next refresh answers</span>
              <select
                className="input input--small"
                value={String(failStatus)}
                onChange={(e) =>
                  setFailStatus(
                    e.target.value === 'network'
                      ? 'network'
                      : (Number(e.target.value) as 401 | 500),
                  )
                }
              >
                <option value="401">401</option>
                <option value="500">500</option>
                <option value="network">network error</option>
              </select>
            </label>
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                act(`The next refresh will fail (${failStatus})`, () =>
                  controls.failNextRefresh(failStatus),
                )
              }
            >
              Fail next refresh
            </button>
          </div>
          <div className="toolbar__group">
            <button
              type="button"
              className="button button--small"
              onClick={() => act('Every session revoked', controls.revokeSessions)}
            >
              Revoke sessions
            </button>
          </div>
          <form
            className="toolbar__group"
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              if (lifetime.trim() === '') return
              const seconds = Number(lifetime)
              // The mocks judge the value and say why they refuse one: their word is shown.
              void controls.setAccessTokenLifetime(seconds).then(
                async () => {
                  setLifetimeError(null)
                  setMessage(`New tokens live ${seconds} s`)
                  setState(await controls.getState())
                },
                (error: unknown) =>
                  setLifetimeError(error instanceof Error ? error.message : String(error)),
              )
            }}
          >
            <label className="toolbar__field">
              <span>Token lifetime (s)</span>
              <input
                className="input input--small input--number"
                type="number"
                min={LIFETIME_LIMITS.min}
                max={LIFETIME_LIMITS.max}
                placeholder={ttl ? String(ttl) : '300'}
                value={lifetime}
                aria-invalid={lifetimeError ? true : undefined}
                aria-describedby={lifetimeError ? lifetimeErrorId : undefined}
                onChange={(e) => {
                  setLifetime(e.target.value)
                  setLifetimeError(null)
                }}
              />
            </label>
            <button type="submit" className="button button--small">
              Set lifetime
            </button>
            {lifetimeError && (
              <span className="toolbar__error" id={lifetimeErrorId} role="alert">
                {lifetimeError}
              </span>
            )}
          </form>
          <form
            className="toolbar__group"
            onSubmit={(e) => {
              e.preventDefault()
              const ms = Number(latency)
              if (ms >= 0 && latency !== '')
                void act(`Latency ${ms} ms`, () => controls.setLatency(ms))
            }}
          >
            <label className="toolbar__field">
              <span>Latency (ms)</span>
              <input
                className="input input--small input--number"
                type="number"
                min={0}
                placeholder={delay !== undefined ? String(delay) : '0'}
                value={latency}
                onChange={(e) => setLatency(e.target.value)}
              />
            </label>
            <button type="submit" className="button button--small">
              Set latency
            </button>
          </form>
          <div className="toolbar__group">
            <ConfirmButton
              className="button button--small button--danger"
              question="This signs everyone out, in every tab, and deletes every job and run."
              confirmLabel="Reset and sign out"
              onConfirm={() => void act('Mocks reset', controls.reset)}
            >
              Reset mocks
            </ConfirmButton>
          </div>
          <dl className="toolbar__counters" aria-label="Mock counters">
            {counterLabels.map(([key, label]) => (
              <div key={key} className="counter">
                <dt>{label}</dt>
                <dd data-counter={key}>{state?.counters[key] ?? '–'}</dd>
              </div>
            ))}
          </dl>
          <p className="toolbar__message" role="status" aria-live="polite">
            {message}
          </p>
        </div>
      )}
    </aside>
  )
}
