import { DEFAULT_CONFIG, ROLE_PERMISSIONS, STATE_VERSION } from './model'
import type { DagId, DagRunRecord, MockState, PasswordHash, Role, UserRecord } from './model'
import { hashPassword } from './passwords'
import { setOwn } from './ownEntry'
import { randomToken } from './random'
import { forgetSpentTokens } from './sessions'
import { createMemoryStorage, type MockStorage } from './storage'

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

let storage: MockStorage = createMemoryStorage()
let clock: () => number = () => Date.now()
let seedHashes: PasswordHash[] | null = null
let seeding: Promise<PasswordHash[]> | null = null

function seedPasswords(): Promise<PasswordHash[]> {
  seeding ??= Promise.all(SEED_USERS.map((user) => hashPassword(user.password))).then(
    (hashes) => (seedHashes = hashes),
  )
  return seeding
}

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

export function createInitialState(hashes: PasswordHash[], now: number): MockState {
  const users: UserRecord[] = SEED_USERS.map((seed, index) => ({
    id: seed.id,
    email: seed.email,
    username: seed.username,
    name: seed.name,
    role: seed.role,
    permissions: [...ROLE_PERMISSIONS[seed.role]],
    password: hashes[index]!,
    created_at: now,
  }))
  const { runs, seq } = seededRuns(now)
  return {
    version: STATE_VERSION,
    created_at: now,
    signing_key: randomToken(32),
    config: { ...DEFAULT_CONFIG },
    counters: {
      logins: 0,
      refreshes: 0,
      refreshes_rejected: 0,
      refreshes_failed: 0,
      reuse_detected: 0,
      unauthorized: 0,
      requests: 0,
    },
    clock_offset_ms: 0,
    users,
    families: {},
    refresh_tokens: {},
    spent_refresh_tokens: [],
    revoked_jtis: {},
    token_seq: 0,
    expired_through_seq: 0,
    fail_next_refresh: null,
    login_failures: {},
    jobs: [],
    job_seq: 0,
    dag_runs: runs,
    dag_run_seq: seq,
    last_prune_at: now,
  }
}

const PRUNE_EVERY_MS = 60_000
/** Expired refresh tokens are kept a day, so a late client hears "expired", not "invalid". */
const KEEP_EXPIRED_MS = 86_400_000

/** Drops what can no longer matter: expired refresh tokens, families, revocations, failures. */
export function pruneState(state: MockState, now: number): void {
  if (now - state.last_prune_at < PRUNE_EVERY_MS) return
  state.last_prune_at = now
  for (const [token, record] of Object.entries(state.refresh_tokens)) {
    if (record.expires_at + KEEP_EXPIRED_MS <= now) delete state.refresh_tokens[token]
  }
  for (const [id, family] of Object.entries(state.families)) {
    if (family.expires_at + KEEP_EXPIRED_MS <= now) delete state.families[id]
  }
  forgetSpentTokens(state, now)
  for (const [jti, exp] of Object.entries(state.revoked_jtis)) {
    if (exp * 1000 <= now) delete state.revoked_jtis[jti]
  }
  for (const [identity, times] of Object.entries(state.login_failures)) {
    const recent = times.filter((t) => now - t < 60_000)
    if (recent.length === 0) delete state.login_failures[identity]
    else setOwn(state.login_failures, identity, recent)
  }
}

function loadOrCreate(): MockState {
  const existing = storage.load()
  if (existing) return existing
  if (!seedHashes) {
    throw new Error(
      '[token-refresh-kit mocks] the mock database was read before it was seeded: await db.ready() first',
    )
  }
  const state = createInitialState(seedHashes, clock())
  storage.save(state)
  return state
}

/**
 * The one entry to the state, synchronous so handlers read and mutate it between their
 * awaits. Every request runs inside `db.transaction` (apiRoute and controlRoute see to it):
 * in the browser that is one cross-tab transaction, so reads are fresh and no write is lost.
 */
export const db = {
  /** Seeds the password hashes once (slow: PBKDF2); the state itself is made on first use. */
  async ready(): Promise<void> {
    if (!seedHashes) await seedPasswords()
  },
  /** Runs one request's handling as a unit over the state. Never nest it: it would deadlock. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await db.ready()
    return storage.transaction(work)
  },
  read(): MockState {
    return loadOrCreate()
  },
  update<T>(mutate: (state: MockState, now: number) => T): T {
    const state = loadOrCreate()
    const now = clock() + state.clock_offset_ms
    const result = mutate(state, now)
    pruneState(state, now)
    storage.save(state)
    return result
  },
  /** The mock's time: the real (or injected) clock plus the scenario's offset. */
  now(): number {
    return clock() + loadOrCreate().clock_offset_ms
  },
  /** A fresh state: seeded users, no sessions, default config, new signing key. */
  async reset(): Promise<void> {
    const hashes = seedHashes ?? (await seedPasswords())
    storage.save(createInitialState(hashes, clock()))
  },
}

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
