import { describe, expect, it } from 'vitest'
import { dagRunAt } from '../../../mocks/dagRunStatus'
import { jobAt } from '../../../mocks/jobStatus'
import type { DagRunRecord, JobRecord } from '../../../mocks/model'

const T0 = Date.UTC(2026, 0, 1, 9)

const job = (overrides: Partial<JobRecord> = {}): JobRecord => ({
  id: 'job_1',
  user_id: 'usr_admin',
  name: 'chr20',
  service_id: 'michigan',
  reference_panel_id: 'hrc',
  input_format: 'vcf',
  build: 'hg38',
  phasing: true,
  file_name: 'chr20.vcf',
  file_size: 10,
  created_at: T0,
  queue_ms: 2_000,
  run_ms: 10_000,
  fails: false,
  cancelled_at: null,
  ...overrides,
})

describe('job status over time', () => {
  it('is queued, then running with progress, then completed', () => {
    expect(jobAt(job(), T0 + 1_999)).toMatchObject({
      status: 'queued',
      progress: 0,
      started_at: null,
    })
    expect(jobAt(job(), T0 + 2_000)).toMatchObject({ status: 'running', progress: 0 })
    expect(jobAt(job(), T0 + 4_500)).toMatchObject({ status: 'running', progress: 25 })
    expect(jobAt(job(), T0 + 11_999)).toMatchObject({ status: 'running', progress: 99 })
    expect(jobAt(job(), T0 + 12_000)).toMatchObject({
      status: 'completed',
      progress: 100,
      completed_at: new Date(T0 + 12_000).toISOString(),
    })
  })

  it('fails at 60 % when it is a failing job', () => {
    const failing = job({ fails: true })
    expect(jobAt(failing, T0 + 7_999).status).toBe('running')
    expect(jobAt(failing, T0 + 8_000)).toMatchObject({ status: 'failed', progress: 60 })
    expect(jobAt(failing, T0 + 8_000).error).toMatch(/could not be parsed/)
  })

  it('stays cancelled at the progress it had, and a cancel after the end changes nothing', () => {
    const cancelled = job({ cancelled_at: T0 + 7_000 })
    expect(jobAt(cancelled, T0 + 60_000)).toMatchObject({ status: 'cancelled', progress: 50 })
    const late = job({ cancelled_at: T0 + 13_000 })
    expect(jobAt(late, T0 + 60_000).status).toBe('completed')
  })
})

describe('DAG run state over time', () => {
  const run = (fails: boolean): DagRunRecord => ({
    dag_id: 'ftp_multi_station_download',
    dag_run_id: 'manual__x',
    seq: 9,
    logical_date: new Date(T0).toISOString(),
    conf: {},
    run_type: 'manual',
    created_at: T0,
    queue_ms: 2_000,
    run_ms: 6_000,
    fails,
  })

  it('is queued, running, then success or failed, with Airflow dates', () => {
    expect(dagRunAt(run(false), T0 + 1_000)).toMatchObject({ state: 'queued', start_date: null })
    expect(dagRunAt(run(false), T0 + 2_000)).toMatchObject({
      state: 'running',
      start_date: new Date(T0 + 2_000).toISOString(),
      end_date: null,
    })
    expect(dagRunAt(run(false), T0 + 8_000)).toMatchObject({
      state: 'success',
      end_date: new Date(T0 + 8_000).toISOString(),
    })
    expect(dagRunAt(run(true), T0 + 8_000).state).toBe('failed')
  })
})
