import type { DagRunRecord, DagRunState } from './model'

export interface PublicDagRun {
  dag_run_id: string
  dag_id: string
  logical_date: string
  execution_date: string
  data_interval_start: string
  data_interval_end: string
  start_date: string | null
  end_date: string | null
  state: DagRunState
  run_type: 'manual' | 'scheduled'
  external_trigger: boolean
  conf: Record<string, unknown>
  note: string | null
}

const iso = (ms: number) => new Date(ms).toISOString()

/** queued, then running, then success or failed: derived from the time since the trigger. */
export function dagRunAt(run: DagRunRecord, now: number): PublicDagRun {
  const startAt = run.created_at + run.queue_ms
  const endAt = startAt + run.run_ms
  const state: DagRunState =
    now >= endAt ? (run.fails ? 'failed' : 'success') : now >= startAt ? 'running' : 'queued'
  return {
    dag_run_id: run.dag_run_id,
    dag_id: run.dag_id,
    logical_date: run.logical_date,
    execution_date: run.logical_date,
    data_interval_start: run.logical_date,
    data_interval_end: run.logical_date,
    start_date: now >= startAt ? iso(startAt) : null,
    end_date: now >= endAt ? iso(endAt) : null,
    state,
    run_type: run.run_type,
    external_trigger: run.run_type === 'manual',
    conf: run.conf,
    note: state === 'failed' ? 'Task failed (simulated by the mock)' : null,
  }
}
