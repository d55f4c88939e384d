/** `10:07:33` in the tester's locale, 24-hour. */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('en-GB', { hour12: false })
}

/** `4 min 05 s`, `12 s`, `2 h 03 min`, for a span in seconds (rounded down, never negative). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
}

/** `10:07:33 (2 min 05 s ago)` or `(in 12 s)`, for a claim such as `iat` or `exp` in seconds. */
export function formatClaimTime(epochSeconds: number, nowMs: number): string {
  const ms = epochSeconds * 1000
  const delta = (ms - nowMs) / 1000
  const relative = delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`
  return `${new Date(ms).toLocaleDateString('en-CA')} ${formatClock(ms)} (${relative})`
}
