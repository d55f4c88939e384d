/** One request the page made while attached, as the log keeps it (no query, no header, no body). */
export interface TrafficEntry {
  method: string
  /** Origin and path. */
  url: string
  refresh: boolean
  /** A repeat of a request answered 401, sent with another token. */
  retry: boolean
  /** The status the page got, `network` for a failed request, null while it is in flight. */
  status: number | 'network' | null
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

function statuses(entries: TrafficEntry[]): string {
  const seen = entries.map((entry) =>
    entry.status === null
      ? 'pending'
      : entry.status === 'network'
        ? 'network error'
        : String(entry.status),
  )
  return [...new Set(seen)].join(', ')
}

/**
 * What the page did next, in the order a tester reads it:
 * "3 requests answered 401 -> 1 refresh -> 3 retried, 200".
 */
export function summarizeTraffic(entries: TrafficEntry[]): string | null {
  const refreshes = entries.filter((entry) => entry.refresh)
  const rejected = entries.filter((entry) => !entry.refresh && !entry.retry && entry.status === 401)
  const retried = entries.filter((entry) => entry.retry)
  const others = entries.filter(
    (entry) => !entry.refresh && !entry.retry && entry.status !== 401 && entry.status !== null,
  )
  const parts: string[] = []
  if (rejected.length > 0)
    parts.push(`${plural(rejected.length, 'request', 'requests')} answered 401`)
  if (refreshes.length > 0) {
    const answers = statuses(refreshes)
    const count = plural(refreshes.length, 'refresh', 'refreshes')
    parts.push(answers === '200' ? count : `${count}, ${answers}`)
  }
  if (retried.length > 0) parts.push(`${retried.length} retried, ${statuses(retried)}`)
  if (parts.length === 0 && others.length === 0) return null
  if (others.length > 0) {
    parts.push(`${plural(others.length, 'other request', 'other requests')}, ${statuses(others)}`)
  }
  return parts.join(' -> ')
}
