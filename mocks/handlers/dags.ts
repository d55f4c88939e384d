import { http, HttpResponse } from 'msw'
import { apiRoute, param } from '../apiRoute'
import { DAG_FAIL_EVERY, DAG_IDS, db } from '../db'
import { dagRunAt } from '../dagRunStatus'
import { HttpError, readJsonObject, validationError, type FieldError } from '../httpErrors'
import type { DagId, DagRunRecord } from '../model'
import { withAuth } from '../withAuth'

const DAGS: Record<
  DagId,
  { description: string; schedule: string; timetable: string; tags: string[] }
> = {
  ftp_multi_station_download: {
    description: 'Downloads the latest observations of every station from the FTP mirrors',
    schedule: '0 * * * *',
    timetable: 'At the start of every hour',
    tags: ['ftp', 'ingest'],
  },
  process_multistation_data: {
    description: 'Cleans, merges and loads the downloaded multi-station data',
    schedule: '30 * * * *',
    timetable: 'At 30 minutes past every hour',
    tags: ['etl', 'processing'],
  },
}

function dagJson(dagId: DagId) {
  const dag = DAGS[dagId]
  return {
    dag_id: dagId,
    dag_display_name: dagId,
    description: dag.description,
    is_paused: false,
    is_active: true,
    is_subdag: false,
    owners: ['etl'],
    fileloc: `/opt/airflow/dags/${dagId}.py`,
    schedule_interval: { __type: 'CronExpression', value: dag.schedule },
    timetable_description: dag.timetable,
    tags: dag.tags.map((name) => ({ name })),
    max_active_runs: 16,
  }
}

function knownDag(dagId: string): DagId {
  if (!DAG_IDS.includes(dagId as DagId)) {
    throw new HttpError(404, `DAG with dag_id: '${dagId}' not found`)
  }
  return dagId as DagId
}

const listDags = withAuth(
  async () => HttpResponse.json({ dags: DAG_IDS.map(dagJson), total_entries: DAG_IDS.length }),
  { permission: 'dags:read' },
)

const getDag = withAuth(
  async ({ params }) => HttpResponse.json(dagJson(knownDag(param(params, 'dag_id')))),
  { permission: 'dags:read' },
)

function nonNegativeInt(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name)
  if (raw === null) return fallback
  if (!/^\d+$/.test(raw))
    throw validationError([{ field: name, message: 'must be a non-negative integer' }])
  return Number(raw)
}

const listRuns = withAuth(
  async ({ request, params }) => {
    const dagId = knownDag(param(params, 'dag_id'))
    const url = new URL(request.url)
    const limit = Math.min(nonNegativeInt(url, 'limit', 100), 1000)
    const offset = nonNegativeInt(url, 'offset', 0)
    const now = db.now()
    const runs = db
      .read()
      .dag_runs.filter((run) => run.dag_id === dagId)
      .sort((a, b) => b.seq - a.seq)
    return HttpResponse.json({
      dag_runs: runs.slice(offset, offset + limit).map((run) => dagRunAt(run, now)),
      total_entries: runs.length,
    })
  },
  { permission: 'dags:read' },
)

const getRun = withAuth(
  async ({ params }) => {
    const dagId = knownDag(param(params, 'dag_id'))
    const runId = param(params, 'dag_run_id')
    const run = db.read().dag_runs.find((r) => r.dag_id === dagId && r.dag_run_id === runId)
    if (!run) {
      throw new HttpError(404, `DAGRun with DAG ID: '${dagId}' and DagRun ID: '${runId}' not found`)
    }
    return HttpResponse.json(dagRunAt(run, db.now()))
  },
  { permission: 'dags:read' },
)

function triggerInput(body: Record<string, unknown>) {
  const errors: FieldError[] = []
  const runId = body.dag_run_id
  if (
    runId !== undefined &&
    runId !== null &&
    (typeof runId !== 'string' || !/^\S{1,250}$/.test(runId))
  ) {
    errors.push({ field: 'dag_run_id', message: 'must be a non-empty string without spaces' })
  }
  const dateRaw = body.logical_date ?? body.execution_date
  let logical: number | null = null
  if (dateRaw !== undefined && dateRaw !== null) {
    logical = typeof dateRaw === 'string' ? Date.parse(dateRaw) : Number.NaN
    if (Number.isNaN(logical))
      errors.push({ field: 'logical_date', message: 'must be an ISO 8601 date-time' })
  }
  const conf = body.conf ?? {}
  if (typeof conf !== 'object' || conf === null || Array.isArray(conf)) {
    errors.push({ field: 'conf', message: 'must be a JSON object' })
  }
  if (errors.length > 0) throw validationError(errors)
  return {
    runId: typeof runId === 'string' ? runId : null,
    logical,
    conf: conf as Record<string, unknown>,
  }
}

const trigger = withAuth(
  async ({ request, params }) => {
    const dagId = knownDag(param(params, 'dag_id'))
    const input = triggerInput(await readJsonObject(request))
    const run = db.update((state, now) => {
      const existing = state.dag_runs.filter((r) => r.dag_id === dagId)
      let logical = input.logical ?? now
      // Two triggers in the same millisecond without a date must not collide with each other.
      while (
        input.logical === null &&
        existing.some((r) => Date.parse(r.logical_date) === logical)
      ) {
        logical += 1
      }
      const logicalDate = new Date(logical).toISOString()
      const runId = input.runId ?? `manual__${logicalDate}`
      if (existing.some((r) => r.dag_run_id === runId)) {
        throw new HttpError(
          409,
          `DAGRun with DAG ID: '${dagId}' and DAGRun ID: '${runId}' already exists`,
        )
      }
      if (existing.some((r) => r.logical_date === logicalDate)) {
        throw new HttpError(
          409,
          `DAGRun with DAG ID: '${dagId}' and DAGRun logical date: '${logicalDate}' already exists`,
        )
      }
      const seq = (state.dag_run_seq[dagId] ?? 0) + 1
      state.dag_run_seq[dagId] = seq
      const record: DagRunRecord = {
        dag_id: dagId,
        dag_run_id: runId,
        seq,
        logical_date: logicalDate,
        conf: input.conf,
        run_type: 'manual',
        created_at: now,
        queue_ms: state.config.dag_queue_seconds * 1000,
        run_ms: state.config.dag_run_seconds * 1000,
        fails: input.conf.fail === true || seq % DAG_FAIL_EVERY === 0,
      }
      state.dag_runs.push(record)
      return dagRunAt(record, now)
    })
    return HttpResponse.json(run)
  },
  { permission: 'dags:trigger' },
)

export const dagHandlers = [
  http.get('*/api/v2/dags', apiRoute(listDags)),
  http.get('*/api/v2/dags/:dag_id', apiRoute(getDag)),
  http.get('*/api/v2/dags/:dag_id/dagRuns', apiRoute(listRuns)),
  http.post('*/api/v2/dags/:dag_id/dagRuns', apiRoute(trigger)),
  http.get('*/api/v2/dags/:dag_id/dagRuns/:dag_run_id', apiRoute(getRun)),
]
