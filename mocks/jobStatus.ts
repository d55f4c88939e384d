import type { JobRecord, JobStatus } from './model'

export interface PublicJob {
  id: string
  user_id: string
  name: string
  service_id: string
  reference_panel_id: string
  input_format: string
  build: string
  phasing: boolean
  file_name: string
  file_size: number
  status: JobStatus
  progress: number
  created_at: string
  started_at: string | null
  completed_at: string | null
  error: string | null
}

/** Failing jobs stop at this share of their run time. */
const FAIL_AT = 0.6

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/**
 * Status and progress follow from time alone (queued, then running 0-100, then completed,
 * or failed when the file name contains "fail"), so every tab and every reload agrees.
 */
export function jobAt(job: JobRecord, now: number): PublicJob {
  const at = job.cancelled_at !== null ? Math.min(now, job.cancelled_at) : now
  const startAt = job.created_at + job.queue_ms
  const failAt = startAt + Math.round(job.run_ms * FAIL_AT)
  const endAt = job.fails ? failAt : startAt + job.run_ms
  let status: JobStatus
  let progress: number
  if (at >= endAt) {
    status = job.fails ? 'failed' : 'completed'
    progress = job.fails ? Math.round(FAIL_AT * 100) : 100
  } else if (at >= startAt) {
    status = 'running'
    progress = job.run_ms > 0 ? Math.min(99, Math.floor(((at - startAt) / job.run_ms) * 100)) : 99
  } else {
    status = 'queued'
    progress = 0
  }
  const finished = status === 'completed' || status === 'failed'
  if (job.cancelled_at !== null && !finished) status = 'cancelled'
  return {
    id: job.id,
    user_id: job.user_id,
    name: job.name,
    service_id: job.service_id,
    reference_panel_id: job.reference_panel_id,
    input_format: job.input_format,
    build: job.build,
    phasing: job.phasing,
    file_name: job.file_name,
    file_size: job.file_size,
    status,
    progress,
    created_at: iso(job.created_at)!,
    started_at: at >= startAt ? iso(startAt) : null,
    completed_at: finished ? iso(endAt) : status === 'cancelled' ? iso(job.cancelled_at) : null,
    error:
      status === 'failed'
        ? `Imputation failed at ${progress}%: the input file could not be parsed (simulated: its name contains "fail")`
        : null,
  }
}
