// One convention for every time the kit, the app and the extension show: a span of time is
// in seconds, counted in whole seconds rounded up (a countdown reads 0 only once the time is
// up, as useTimeLeft counts), never negative; an instant is in epoch milliseconds, as
// `Date.now()`. A caller that says "ago" passes the span, not a negative one.

const wholeSeconds = (seconds: number) => Math.max(0, Math.ceil(seconds))
const CLOCK: Intl.DateTimeFormatOptions = {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
}
const pad = (value: number) => String(value).padStart(2, '0')

/** A span in seconds in words: `0 s`, `45 s`, `4 min 05 s`, `2 h 03 min`; '—' when not a number. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—'
  const s = wholeSeconds(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`
}

/** A span in seconds as a countdown: `0:00`, `4:05`, `1:02:03`; '—' when not a number. */
export function formatTimeLeft(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—'
  const s = wholeSeconds(seconds)
  const hours = Math.floor(s / 3600)
  const minutes = Math.floor((s % 3600) / 60)
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(s % 60)}` : `${minutes}:${pad(s % 60)}`
}

/** An instant in epoch ms as a time of day, 24-hour in the reader's locale: `09:07:33`. */
export function formatClock(epochMs: number): string {
  // 24-hour: "12:40:03 PM" wraps in the extension's narrow history column.
  return new Date(epochMs).toLocaleTimeString(undefined, CLOCK)
}
