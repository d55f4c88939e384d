import axios, {
  type AxiosInstance,
  type AxiosProgressEvent,
  type InternalAxiosRequestConfig,
} from 'axios'
import { UploadStalledError } from './UploadStalledError'
import { uploadProgress, type UploadProgress } from './uploadProgress'

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled'

export interface Job {
  id: string
  name: string
  status: JobStatus
  progress: number
  service_id?: string
  reference_panel_id?: string
  input_format?: string
  build?: string
  phasing?: string | boolean
  input_filename?: string
  file_name?: string
  file_size?: number
  error?: string | null
  created_at?: string
  updated_at?: string
  completed_at?: string | null
  [field: string]: unknown
}

export interface JobInput {
  name: string
  service_id: string
  reference_panel_id: string
  input_format: string
  build: string
  phasing: string
  input_file: File
}

export const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled']

export function isActive(job: Job): boolean {
  return job.status === 'queued' || job.status === 'running'
}

export interface JobList {
  items: Job[]
  total: number
}

export async function listJobs(api: AxiosInstance, signal?: AbortSignal) {
  const { data } = await api.get<JobList>('/api/v1/jobs', { signal })
  return data
}

export interface SubmitJobOptions {
  /** Called as the upload goes: bytes sent (when the browser reports them), then processing. */
  onProgress?: (progress: UploadProgress) => void
  /** How long the upload may go without a byte sent or an answer before it is stopped. Default 30 000. */
  idleTimeoutMs?: number
}

/**
 * Uploads a job with its input file. There is no overall time limit, which would cut off a large
 * file on a slow link mid-way: the upload is stopped only after `idleTimeoutMs` without progress.
 */
export async function submitJob(
  api: AxiosInstance,
  input: JobInput,
  { onProgress, idleTimeoutMs = 30_000 }: SubmitJobOptions = {},
): Promise<Job> {
  const form = new FormData()
  for (const [key, value] of Object.entries(input)) form.append(key, value)
  const stalled = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  let onWire = false
  const rearm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => stalled.abort(), idleTimeoutMs)
  }
  // The watch runs only while the request is on the wire (the adapter), not while the auth
  // interceptor holds it for a refresh or a re-sign-in; a retry after a 401 is watched afresh.
  const adapter = async (config: InternalAxiosRequestConfig) => {
    onWire = true
    rearm()
    try {
      return await axios.getAdapter(api.defaults.adapter, config)(config)
    } finally {
      onWire = false
      clearTimeout(timer)
    }
  }
  try {
    const { data } = await api.post<Job>('/api/v1/jobs', form, {
      timeout: 0,
      signal: stalled.signal,
      adapter,
      onUploadProgress: ({ loaded, total }: AxiosProgressEvent) => {
        if (!onWire) return
        rearm()
        onProgress?.(uploadProgress(loaded, total))
      },
    })
    return data
  } catch (error) {
    if (stalled.signal.aborted) throw new UploadStalledError(Math.round(idleTimeoutMs / 1000))
    throw error
  } finally {
    clearTimeout(timer)
  }
}

export async function cancelJob(api: AxiosInstance, id: string): Promise<Job> {
  const { data } = await api.post<Job>(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`)
  return data
}
