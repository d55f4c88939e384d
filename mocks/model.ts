/** The shapes of the mock backend's state: one model shared by the browser, msw/node and HTTP. */
import { DEFAULT_AUTH_CONFIG } from './auth/authModel'
import type { AuthConfig, AuthCounters, AuthState, AuthUserRecord } from './auth/authModel'

export const PERMISSIONS = [
  'jobs:read',
  'jobs:submit',
  'jobs:cancel',
  'dags:read',
  'dags:trigger',
  'admin',
] as const

export type Permission = (typeof PERMISSIONS)[number]

export type Role = 'admin' | 'user' | 'viewer'

export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  admin: [...PERMISSIONS],
  user: ['jobs:read', 'jobs:submit', 'jobs:cancel', 'dags:read', 'dags:trigger'],
  viewer: ['jobs:read', 'dags:read'],
}

/** Roles that `POST /register` may create; `admin` exists only as a seeded user. */
export const REGISTRABLE_ROLES: Role[] = ['user', 'viewer']

export { REFRESH_MODES, toPublicUser } from './auth/authModel'
export type {
  FamilyRecord,
  PasswordHash,
  PublicUser,
  RefreshMode,
  RefreshTokenRecord,
} from './auth/authModel'

/** The auth part is one createAuthHandlers instance's; the rest is the jobs and pipelines. */
export interface MockConfig extends AuthConfig {
  max_upload_bytes: number
  job_queue_seconds: number
  job_run_seconds: number
  dag_queue_seconds: number
  dag_run_seconds: number
}

export const DEFAULT_CONFIG: MockConfig = {
  ...DEFAULT_AUTH_CONFIG,
  max_upload_bytes: 10 * 1024 * 1024,
  job_queue_seconds: 2,
  job_run_seconds: 10,
  dag_queue_seconds: 2,
  dag_run_seconds: 6,
}

export type MockCounters = AuthCounters

/** The mocks' users are an instance's users, with the roles and permissions above. */
export type UserRecord = AuthUserRecord

export type InputFormat = 'vcf' | 'vcf.gz' | 'plink' | 'bgen'
export type GenomeBuild = 'hg19' | 'hg38'

export interface JobRecord {
  id: string
  user_id: string
  name: string
  service_id: string
  reference_panel_id: string
  input_format: InputFormat
  build: GenomeBuild
  phasing: boolean
  file_name: string
  file_size: number
  created_at: number
  queue_ms: number
  run_ms: number
  fails: boolean
  cancelled_at: number | null
}

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled'

export type DagId = 'ftp_multi_station_download' | 'process_multistation_data'

export interface DagRunRecord {
  dag_id: DagId
  dag_run_id: string
  seq: number
  logical_date: string
  conf: Record<string, unknown>
  run_type: 'manual' | 'scheduled'
  created_at: number
  queue_ms: number
  run_ms: number
  fails: boolean
}

export type DagRunState = 'queued' | 'running' | 'success' | 'failed'

/** Bumped when the shape changes: a stored state of another version is reseeded. */
export const STATE_VERSION = 5

export interface MockState extends AuthState {
  version: typeof STATE_VERSION
  config: MockConfig
  jobs: JobRecord[]
  job_seq: number
  dag_runs: DagRunRecord[]
  dag_run_seq: Record<DagId, number>
}
