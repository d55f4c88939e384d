import type { AxiosInstance, AxiosProgressEvent } from 'axios'

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

export async function submitJob(
  api: AxiosInstance,
  input: JobInput,
  onUploadProgress?: (fraction: number) => void,
): Promise<Job> {
  const form = new FormData()
  for (const [key, value] of Object.entries(input)) form.append(key, value)
  const { data } = await api.post<Job>('/api/v1/jobs', form, {
    onUploadProgress: (event: AxiosProgressEvent) => {
      const fraction = event.progress ?? (event.total ? event.loaded / event.total : undefined)
      if (fraction !== undefined) onUploadProgress?.(fraction)
    },
  })
  return data
}

export async function cancelJob(api: AxiosInstance, id: string): Promise<Job> {
  const { data } = await api.post<Job>(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`)
  return data
}
