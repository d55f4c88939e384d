import { useStore } from 'zustand'
import { formatClock } from 'token-refresh-kit'
import { useServices } from '../hooks/useServices'
import { EmptyState } from './EmptyState'

/** The session's history since the app started, newest first. */
export function RefreshTimeline() {
  const { events } = useServices()
  const entries = useStore(events.store)
  if (entries.length === 0) {
    return (
      <EmptyState title="Nothing yet">
        Sign-ins, refreshes, retries and failures appear here.
      </EmptyState>
    )
  }
  return (
    <ol className="timeline" aria-label="Refresh history">
      {entries.map((entry) => (
        <li key={entry.id} className={`timeline__item timeline__item--${entry.kind}`}>
          <span className="timeline__icon" aria-hidden="true" />
          <div className="timeline__body">
            <div className="timeline__head">
              <span className="timeline__title">{entry.title}</span>
              <time className="timeline__time" dateTime={new Date(entry.at).toISOString()}>
                {formatClock(entry.at)}
              </time>
            </div>
            <div className="timeline__detail">{entry.detail}</div>
          </div>
        </li>
      ))}
    </ol>
  )
}
