/** The shapes of the mock backend's state: one model shared by the browser, msw/node and HTTP. */

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

/**
 * How the refresh credential travels: `json`, the contract's `{refresh_token}` body; `cookie`, an
 * HttpOnly cookie set on login and refresh; `sliding`, the access token itself as Bearer (seed 003).
 */
export type RefreshMode = 'json' | 'cookie' | 'sliding'

export const REFRESH_MODES: readonly RefreshMode[] = ['json', 'cookie', 'sliding']

export interface MockConfig {
  refresh_mode: RefreshMode
  /** Sliding mode: how long after its `exp` an access token may still be traded for a new one. */
  sliding_window_seconds: number
  access_ttl_seconds: number
  refresh_ttl_seconds: number
  latency_ms: number
  /** A rotated refresh token presented again within this many seconds is not reuse. */
  reuse_grace_seconds: number
  max_upload_bytes: number
  job_queue_seconds: number
  job_run_seconds: number
  dag_queue_seconds: number
  dag_run_seconds: number
}

export const DEFAULT_CONFIG: MockConfig = {
  refresh_mode: 'json',
  sliding_window_seconds: 3_600,
  access_ttl_seconds: 300,
  refresh_ttl_seconds: 86_400,
  latency_ms: 0,
  reuse_grace_seconds: 0,
  max_upload_bytes: 10 * 1024 * 1024,
  job_queue_seconds: 2,
  job_run_seconds: 10,
  dag_queue_seconds: 2,
  dag_run_seconds: 6,
}

export interface MockCounters {
  /** Successful `POST /login`. */
  logins: number
  /** Every `POST /refresh` received, answered or not. */
  refreshes: number
  /** Refreshes refused with a 4xx: invalid, expired, revoked, reused, a simulated 401. */
  refreshes_rejected: number
  /** Refreshes that failed with a 5xx or a dropped connection (simulated `500` and `network`). */
  refreshes_failed: number
  reuse_detected: number
  /** 401 answers sent by `/api`. */
  unauthorized: number
  /** Every request to `/api`. */
  requests: number
}

export type FailRefreshStatus = 401 | 500 | 'network'

export interface PasswordHash {
  algorithm: 'PBKDF2-SHA256'
  iterations: number
  salt: string
  hash: string
}

export interface UserRecord {
  id: string
  email: string
  username: string
  name: string
  role: Role
  permissions: Permission[]
  password: PasswordHash
  created_at: number
}

/** A login's chain of refresh tokens; revoking it ends every token of that session. */
export interface FamilyRecord {
  id: string
  user_id: string
  created_at: number
  /** The refresh token currently valid in this family (the head of the chain). */
  head: string
  expires_at: number
  revoked_at: number | null
  revoked_reason: 'logout' | 'reuse' | 'revoke_sessions' | null
}

export interface RefreshTokenRecord {
  family_id: string
  issued_at: number
  expires_at: number
  rotated_at: number | null
}

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
export const STATE_VERSION = 4

export interface MockState {
  version: typeof STATE_VERSION
  created_at: number
  /** HS256 key (base64url); a reset draws a new one, so tokens from before it stop verifying. */
  signing_key: string
  config: MockConfig
  counters: MockCounters
  /** Added to the real clock: the `advance_clock_seconds` scenario moves the mock's time. */
  clock_offset_ms: number
  users: UserRecord[]
  families: Record<string, FamilyRecord>
  refresh_tokens: Record<string, RefreshTokenRecord>
  /** Rotated refresh tokens still kept for reuse detection, oldest rotation first. */
  spent_refresh_tokens: string[]
  /** Revoked access-token jtis and their `exp` (s), kept until they would expire anyway. */
  revoked_jtis: Record<string, number>
  /** Every access token carries its sequence number in its jti (`<seq>.<random>`). */
  token_seq: number
  /** Access tokens with a sequence number up to this one count as expired. */
  expired_through_seq: number
  fail_next_refresh: { count: number; status: FailRefreshStatus } | null
  /** Failed logins per identity (lower-cased email or username): times in ms. */
  login_failures: Record<string, number[]>
  jobs: JobRecord[]
  job_seq: number
  dag_runs: DagRunRecord[]
  dag_run_seq: Record<DagId, number>
  last_prune_at: number
}

/** What the API shows of a user: the record without its password hash, times as ISO strings. */
export type PublicUser = Omit<UserRecord, 'password' | 'created_at'> & { created_at: string }

export function toPublicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    name: user.name,
    role: user.role,
    permissions: [...user.permissions],
    created_at: new Date(user.created_at).toISOString(),
  }
}
