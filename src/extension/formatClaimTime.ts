import { formatClock, formatDuration } from 'token-refresh-kit'

/** `2026-01-15 10:07:33 (2 min 05 s ago)` or `(in 12 s)`, for a claim such as `iat` or `exp`; both instants in epoch ms. */
export function formatClaimTime(atMs: number, nowMs: number): string {
  const delta = (atMs - nowMs) / 1000
  const relative = delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`
  return `${new Date(atMs).toLocaleDateString('en-CA')} ${formatClock(atMs)} (${relative})`
}
