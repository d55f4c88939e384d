import type { AuthState } from './auth/authModel'
import { pruneAuthState } from './auth/authState'
import { createAuthInstance } from './auth/createAuthInstance'
import { DEFAULT_CONFIG, REGISTRABLE_ROLES, ROLE_PERMISSIONS, STATE_VERSION } from './model'
import type { DagId, DagRunRecord, MockConfig, MockState, PasswordHash, Role } from './model'
import { createMemoryStateStorage, type MockStorage } from './mockStorage'

interface SeedUser {
  id: string
  email: string
  username: string
  name: string
  role: Role
  password: string
}

export const SEED_USERS: readonly SeedUser[] = [
  {
    id: 'usr_admin',
    email: 'admin@etl.local',
    username: 'admin',
    name: 'Ada Admin',
    role: 'admin',
    password: 'admin123',
  },
  {
    id: 'usr_viewer',
    email: 'viewer@etl.local',
    username: 'viewer',
    name: 'Victor Viewer',
    role: 'viewer',
    password: 'viewer123',
  },
]

export const DAG_IDS: readonly DagId[] = ['ftp_multi_station_download', 'process_multistation_data']

/** Runs whose sequence number is a multiple of this fail, as some real ones do. */
export const DAG_FAIL_EVERY = 7
const SEEDED_RUNS_PER_DAG = 8

let storage: MockStorage = createMemoryStateStorage()
let clock: () => number = () => Date.now()

function seededRuns(now: number): { runs: DagRunRecord[]; seq: Record<DagId, number> } {
  const hour = 3_600_000
  const top = Math.floor(now / hour) * hour
  const runs: DagRunRecord[] = []
  const seq = {} as Record<DagId, number>
  DAG_IDS.forEach((dagId, dagIndex) => {
    for (let n = 1; n <= SEEDED_RUNS_PER_DAG; n++) {
      const logical = top - (SEEDED_RUNS_PER_DAG - n + 1) * hour + dagIndex * (hour / 2)
      const logicalDate = new Date(logical).toISOString()
      runs.push({
        dag_id: dagId,
        dag_run_id: `scheduled__${logicalDate}`,
        seq: n,
        logical_date: logicalDate,
        conf: {},
        run_type: 'scheduled',
        created_at: logical + 5_000,
        queue_ms: 4_000,
        run_ms: (dagIndex === 0 ? 95 : 240) * 1_000 + n * 7_000,
        fails: n % DAG_FAIL_EVERY === 0,
      })
    }
    seq[dagId] = SEEDED_RUNS_PER_DAG
  })
  return { runs, seq }
}

/** The jobs and pipelines beside an auth state: the rest of the mocks' state. */
function withJobsAndRuns(auth: AuthState, now: number): MockState {
  const { runs, seq } = seededRuns(now)
  const config: MockConfig = { ...DEFAULT_CONFIG, ...auth.config }
  return {
    ...auth,
    version: STATE_VERSION,
    config,
    jobs: [],
    job_seq: 0,
    dag_runs: runs,
    dag_run_seq: seq,
  }
}

const JOB_CONFIG_LIMITS: Record<string, [min: number, max: number]> = {
  max_upload_bytes: [1, 100 * 1024 * 1024],
  job_queue_seconds: [0, 3_600],
  job_run_seconds: [0, 3_600],
  dag_queue_seconds: [0, 3_600],
  dag_run_seconds: [0, 3_600],
}

/**
 * The mocks' auth backend is a createAuthHandlers instance on the contract's paths, over the
 * mocks' own state (memory in Node, IndexedDB in the browser), shared with jobs and pipelines.
 */
export const mockAuth = createAuthInstance<MockState>(
  {
    baseUrl: '*',
    users: SEED_USERS.map((user) => ({ ...user, permissions: ROLE_PERMISSIONS[user.role] })),
    accessTtlSeconds: DEFAULT_CONFIG.access_ttl_seconds,
    refreshTtlSeconds: DEFAULT_CONFIG.refresh_ttl_seconds,
    refreshMode: DEFAULT_CONFIG.refresh_mode,
    reuseDetection: true,
    registrableRoles: Object.fromEntries(
      REGISTRABLE_ROLES.map((role) => [role, ROLE_PERMISSIONS[role]]),
    ),
  },
  {
    storage: () => storage,
    clock: () => clock(),
    extend: withJobsAndRuns,
    extraConfig: JOB_CONFIG_LIMITS,
  },
)

/** The seeded state for these password hashes (of `SEED_USERS`, in order). */
export const createInitialState: (hashes: PasswordHash[], now: number) => MockState =
  mockAuth.initialState

/** Drops what can no longer matter: expired refresh tokens, families, revocations, failures. */
export const pruneState: (state: MockState, now: number) => void = pruneAuthState

/**
 * The one entry to the state, synchronous so handlers read and mutate it between their
 * awaits. Every request runs inside `db.transaction` (apiRoute and controlRoute see to it):
 * in the browser that is one cross-tab transaction, so reads are fresh and no write is lost.
 */
export const db = mockAuth.store

/** Swaps where the state lives (browser.ts picks IndexedDB); returns the restore. */
export function setMockStorage(next: MockStorage): () => void {
  const previous = storage
  storage = next
  return () => {
    storage = previous
  }
}

/** Injects the clock the mock reads (tests); returns the restore. Default `Date.now()`. */
export function setMockClock(now: () => number): () => void {
  const previous = clock
  clock = now
  return () => {
    clock = previous
  }
}
