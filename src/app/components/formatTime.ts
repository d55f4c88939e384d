import { formatClock } from 'token-refresh-kit'

/** A time of today as `08:04:41`; an older one with its date. '—' when absent. */
export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return '—'
  const today = new Date().toDateString() === date.toDateString()
  return today
    ? formatClock(date.getTime())
    : date.toLocaleString(undefined, {
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
      })
}
