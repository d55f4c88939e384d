import { formatTimeLeft, SessionCountdown, useAuthStore } from 'token-refresh-kit/react'

/** The header's `Session` status region: the access token's time left, or what the session is doing. */
export function SessionStatus() {
  const status = useAuthStore((s) => s.status)
  return (
    // aria-live off: a countdown announced every second would drown a screen reader.
    <div
      className={`session-status session-status--${status}`}
      role="status"
      aria-label="Session"
      aria-live="off"
    >
      <span className="session-status__dot" aria-hidden="true" />
      {status === 'ended' ? (
        <span>Session ended</span>
      ) : status === 'anonymous' ? (
        <span>Signed out</span>
      ) : (
        <SessionCountdown>
          {(left) => (
            <span>
              {status === 'refreshing' ? 'Refreshing… ' : 'Token '}
              <span className="session-status__time">
                {left === null ? '—' : formatTimeLeft(left)}
              </span>{' '}
              left
            </span>
          )}
        </SessionCountdown>
      )}
    </div>
  )
}
