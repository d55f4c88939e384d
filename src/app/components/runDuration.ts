import type { DagRun } from '../api/dags'
import { formatDuration } from 'token-refresh-kit'

/**
 * How long a run has run, from the server's own start and end: the Refresh panel and Recent
 * runs show the same number for the same run. `null` before the run has started.
 */
export function runDuration(run: DagRun, now = Date.now()): string | null {
  if (!run.start_date) return null
  const end = run.end_date ? Date.parse(run.end_date) : now
  return formatDuration((end - Date.parse(run.start_date)) / 1000)
}
