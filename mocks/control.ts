import { db, setMockClock } from './db'
import type { FieldError } from './httpErrors'
import { REFRESH_MODES, type FailRefreshStatus, type MockConfig, type MockCounters } from './model'
import { getOwn } from './ownEntry'
import { revokeFamily } from './sessions'

export { setMockClock }

export interface MockStateSnapshot {
  config: MockConfig
  counters: MockCounters
  /** The pending `fail_next_refresh` scenario, if any. */
  fail_next_refresh: { count: number; status: FailRefreshStatus } | null
  /** How far `advance_clock_seconds` has moved the mock's clock ahead of the real one. */
  clock_offset_seconds: number
  /** The mock's current time. */
  now: string
}

export interface MockScenario {
  /** Every access token issued so far counts as expired at the server. */
  expire_access_tokens?: boolean
  /** The next `count` (default 1) refreshes fail with this status; `null` clears it. */
  fail_next_refresh?: { count?: number; status: FailRefreshStatus } | null
  /** Revokes every session: refresh tokens and the access tokens issued with them. */
  revoke_sessions?: boolean
  /** Moves the mock's clock forward (tokens, jobs, runs and throttles all see it). */
  advance_clock_seconds?: number
}

/** A control call with a bad argument; `errors` names each field and what is wrong with it. */
export class MockControlError extends Error {
  override name = 'MockControlError' as const
  readonly errors: FieldError[]
  constructor(operation: string, errors: FieldError[]) {
    super(
      `[token-refresh-kit mocks] ${operation}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    )
    this.errors = errors
  }
}

const CONFIG_LIMITS: Record<
  Exclude<keyof MockConfig, 'refresh_mode'>,
  [min: number, max: number]
> = {
  access_ttl_seconds: [5, 86_400],
  refresh_ttl_seconds: [1, 30 * 86_400],
  latency_ms: [0, 60_000],
  reuse_grace_seconds: [0, 3_600],
  max_upload_bytes: [1, 100 * 1024 * 1024],
  job_queue_seconds: [0, 3_600],
  job_run_seconds: [0, 3_600],
  dag_queue_seconds: [0, 3_600],
  dag_run_seconds: [0, 3_600],
  sliding_window_seconds: [0, 86_400],
}

function snapshot(): MockStateSnapshot {
  const state = db.read()
  const now = db.now()
  return structuredClone({
    config: state.config,
    counters: state.counters,
    fail_next_refresh: state.fail_next_refresh,
    clock_offset_seconds: state.clock_offset_ms / 1000,
    now: new Date(now).toISOString(),
  })
}

export async function getMockState(): Promise<MockStateSnapshot> {
  await db.ready()
  return snapshot()
}

function checkConfig(partial: Record<string, unknown>): Partial<MockConfig> {
  const errors: FieldError[] = []
  const accepted: Partial<MockConfig> = {}
  for (const [key, value] of Object.entries(partial)) {
    const limits = getOwn(CONFIG_LIMITS, key)
    if (key === 'refresh_mode') {
      if (REFRESH_MODES.includes(value as MockConfig['refresh_mode'])) {
        accepted.refresh_mode = value as MockConfig['refresh_mode']
      } else {
        errors.push({ field: key, message: `must be one of ${REFRESH_MODES.join(', ')}` })
      }
    } else if (!limits) {
      errors.push({
        field: key,
        message: `is not a config key (known: ${[...Object.keys(CONFIG_LIMITS), 'refresh_mode'].join(', ')})`,
      })
    } else if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < limits[0] ||
      value > limits[1]
    ) {
      errors.push({ field: key, message: `must be an integer from ${limits[0]} to ${limits[1]}` })
    } else {
      accepted[key as keyof typeof CONFIG_LIMITS] = value
    }
  }
  if (errors.length > 0) throw new MockControlError('configureMock', errors)
  return accepted
}

/** Changes the config; tokens, jobs and runs created afterwards follow it. */
export async function configureMock(partial: Partial<MockConfig>): Promise<MockStateSnapshot> {
  await db.ready()
  const accepted = checkConfig(partial as Record<string, unknown>)
  db.update((state) => {
    Object.assign(state.config, accepted)
  })
  return snapshot()
}

function checkScenario(scenario: Record<string, unknown>): MockScenario {
  const errors: FieldError[] = []
  const known = [
    'expire_access_tokens',
    'fail_next_refresh',
    'revoke_sessions',
    'advance_clock_seconds',
  ]
  for (const key of Object.keys(scenario)) {
    if (!known.includes(key))
      errors.push({ field: key, message: `is not a scenario (known: ${known.join(', ')})` })
  }
  for (const key of ['expire_access_tokens', 'revoke_sessions']) {
    if (Object.hasOwn(scenario, key) && typeof scenario[key] !== 'boolean') {
      errors.push({ field: key, message: 'must be true or false' })
    }
  }
  const fail = scenario.fail_next_refresh
  if (fail !== undefined && fail !== null) {
    const { count = 1, status } = fail as { count?: unknown; status?: unknown }
    if (typeof fail !== 'object' || Array.isArray(fail)) {
      errors.push({ field: 'fail_next_refresh', message: 'must be {count, status} or null' })
    } else {
      if (status !== 401 && status !== 500 && status !== 'network') {
        errors.push({ field: 'fail_next_refresh.status', message: 'must be 401, 500 or "network"' })
      }
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 1000) {
        errors.push({
          field: 'fail_next_refresh.count',
          message: 'must be an integer from 0 to 1000',
        })
      }
    }
  }
  const advance = scenario.advance_clock_seconds
  if (
    advance !== undefined &&
    (typeof advance !== 'number' || !(advance >= 0) || advance > 366 * 86_400)
  ) {
    errors.push({
      field: 'advance_clock_seconds',
      message: 'must be a number of seconds from 0 to one year',
    })
  }
  if (errors.length > 0) throw new MockControlError('runScenario', errors)
  return scenario as MockScenario
}

/** Applies one or more scenarios at once, in the order: clock, expire, revoke, fail. */
export async function runScenario(scenario: MockScenario): Promise<MockStateSnapshot> {
  await db.ready()
  const checked = checkScenario(scenario as Record<string, unknown>)
  db.update((state, now) => {
    if (checked.advance_clock_seconds) {
      state.clock_offset_ms += Math.round(checked.advance_clock_seconds * 1000)
    }
    if (checked.expire_access_tokens) state.expired_through_seq = state.token_seq
    if (checked.revoke_sessions) {
      for (const id of Object.keys(state.families)) revokeFamily(state, id, 'revoke_sessions', now)
    }
    if (checked.fail_next_refresh !== undefined) {
      const fail = checked.fail_next_refresh
      const count = fail?.count ?? 1
      state.fail_next_refresh = fail && count > 0 ? { count, status: fail.status } : null
    }
  })
  return snapshot()
}

/** Back to the seed: the two users, no sessions, default config (but the refresh mode) and counters, a new signing key. */
export async function resetMock(): Promise<MockStateSnapshot> {
  await db.ready()
  // The refresh mode is how the backend is built, not a scenario: the app in front of it was
  // built for that mode, so a reset keeps it.
  const mode = db.read().config.refresh_mode
  await db.reset()
  db.update((state) => {
    state.config.refresh_mode = mode
  })
  return snapshot()
}
