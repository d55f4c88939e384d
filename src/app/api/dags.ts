import type { AxiosInstance } from 'axios'

export type DagRunState = 'queued' | 'running' | 'success' | 'failed'

export interface Dag {
  dag_id: string
  description?: string | null
  is_paused?: boolean
  is_active?: boolean
  schedule_interval?: unknown
  tags?: Array<{ name: string } | string>
  owners?: string[]
  [field: string]: unknown
}

export interface DagRun {
  dag_id: string
  dag_run_id: string
  state: DagRunState
  logical_date?: string
  execution_date?: string
  start_date?: string | null
  end_date?: string | null
  conf?: Record<string, unknown>
  [field: string]: unknown
}

export const DOWNLOAD_DAG = 'ftp_multi_station_download'
export const PROCESSING_DAG = 'process_multistation_data'

export function isFinished(run: DagRun): boolean {
  return run.state === 'success' || run.state === 'failed'
}

export async function listDags(api: AxiosInstance, signal?: AbortSignal): Promise<Dag[]> {
  const { data } = await api.get<{ dags: Dag[] } | Dag[]>('/api/v2/dags', { signal })
  return Array.isArray(data) ? data : data.dags
}

export async function listDagRuns(
  api: AxiosInstance,
  dagId: string,
  limit = 10,
  signal?: AbortSignal,
): Promise<DagRun[]> {
  const { data } = await api.get<{ dag_runs: DagRun[] }>(
    `/api/v2/dags/${encodeURIComponent(dagId)}/dagRuns`,
    { params: { limit }, signal },
  )
  return data.dag_runs
}

export async function triggerDag(api: AxiosInstance, dagId: string): Promise<DagRun> {
  const { data } = await api.post<DagRun>(`/api/v2/dags/${encodeURIComponent(dagId)}/dagRuns`, {
    conf: { triggered_from: 'etl-console' },
  })
  return data
}
