import type { FieldError } from '../httpErrors'
import { checkScenario, type Scenario } from './checkScenario'
import { MockControlError } from './MockControlError'
import { getOwn } from '../ownEntry'
import { revokeFamily } from '../sessions'
import { REFRESH_MODES, type AuthConfig, type AuthCounters, type AuthState } from './authModel'
import type { StateStore } from './createStateStore'
import type { FailRefreshStatus } from './failRefreshStatus'

/** What `GET /__mock/state` and `controls.state()` answer. */
export interface StateSnapshot<C extends AuthConfig = AuthConfig> {
  config: C
  counters: AuthCounters
  /** The pending `fail_next_refresh` scenario, if any. */
  fail_next_refresh: { count: number; status: FailRefreshStatus } | null
  /** How far `advance_clock_seconds` has moved the mock's clock ahead of the real one. */
  clock_offset_seconds: number
  /** The mock's current time. */
  now: string
}

/** Integer config keys and their bounds; `refresh_mode` and `reuse_detection` are checked apart. */
export type ConfigLimits = Record<string, [min: number, max: number]>

const AUTH_LIMITS: ConfigLimits = {
  access_ttl_seconds: [5, 86_400],
  refresh_ttl_seconds: [1, 30 * 86_400],
  latency_ms: [0, 60_000],
  reuse_grace_seconds: [0, 3_600],
  sliding_window_seconds: [0, 86_400],
}

/** `accessTtlSeconds` -> `access_ttl_seconds`: the controls' names for the state's keys. */
export const toWireKey = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const toJsKey = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

export interface ControlOps<S extends AuthState> {
  snapshot(): StateSnapshot<S['config']>
  /** The accepted part of a partial config, keyed as in the state; throws a MockControlError. */
  checkConfig(
    partial: Record<string, unknown>,
    operation: string,
    naming: 'wire' | 'js',
  ): Record<string, unknown>
  /** Checks then applies a partial config; keys named as in the state, or camelCase with `js`. */
  configure(
    partial: Record<string, unknown>,
    operation: string,
    naming?: 'wire' | 'js',
  ): Promise<StateSnapshot<S['config']>>
  /** Applies one or more scenarios at once, in the order: clock, expire, revoke, fail. */
  runScenario(scenario: Scenario, operation: string): Promise<StateSnapshot<S['config']>>
  /** Back to the start: the instance's users, no sessions, counters at zero. */
  reset(options?: { keepRefreshMode?: boolean }): Promise<StateSnapshot<S['config']>>
}

/**
 * The controls over one instance's state, with no transaction of their own: the HTTP control
 * routes run them inside theirs, and the public controls wrap each call in one.
 */
export function createControlOps<S extends AuthState>(
  store: StateStore<S>,
  extraLimits: ConfigLimits = {},
): ControlOps<S> {
  const limits: ConfigLimits = { ...AUTH_LIMITS, ...extraLimits }
  const wireKeys = [...Object.keys(limits), 'refresh_mode', 'reuse_detection']

  function snapshot(): StateSnapshot<S['config']> {
    const state = store.read()
    return structuredClone({
      config: state.config,
      counters: state.counters,
      fail_next_refresh: state.fail_next_refresh,
      clock_offset_seconds: state.clock_offset_ms / 1000,
      now: new Date(store.now()).toISOString(),
    })
  }

  function checkConfig(
    partial: Record<string, unknown>,
    operation: string,
    naming: 'wire' | 'js',
  ): Record<string, unknown> {
    const errors: FieldError[] = []
    const accepted: Record<string, unknown> = {}
    for (const [field, value] of Object.entries(partial)) {
      const key = naming === 'js' ? toWireKey(field) : field
      const range = getOwn(limits, key)
      if (key === 'refresh_mode') {
        if (REFRESH_MODES.includes(value as AuthConfig['refresh_mode'])) accepted[key] = value
        else errors.push({ field, message: `must be one of ${REFRESH_MODES.join(', ')}` })
      } else if (key === 'reuse_detection') {
        if (typeof value === 'boolean') accepted[key] = value
        else errors.push({ field, message: 'must be true or false' })
      } else if (!range) {
        const known = naming === 'js' ? wireKeys.map(toJsKey) : wireKeys
        errors.push({ field, message: `is not a config key (known: ${known.join(', ')})` })
      } else if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < range[0] ||
        value > range[1]
      ) {
        errors.push({ field, message: `must be an integer from ${range[0]} to ${range[1]}` })
      } else {
        accepted[key] = value
      }
    }
    if (errors.length > 0) throw new MockControlError(operation, errors)
    return accepted
  }

  return {
    snapshot,
    checkConfig,
    async configure(partial, operation, naming = 'wire') {
      await store.ready()
      const accepted = checkConfig(partial, operation, naming)
      store.update((state) => {
        Object.assign(state.config, accepted)
      })
      return snapshot()
    },
    async runScenario(scenario, operation) {
      await store.ready()
      const checked = checkScenario(scenario as Record<string, unknown>, operation)
      store.update((state, now) => {
        if (checked.advance_clock_seconds) {
          state.clock_offset_ms += Math.round(checked.advance_clock_seconds * 1000)
        }
        if (checked.expire_access_tokens) state.expired_through_seq = state.token_seq
        if (checked.revoke_sessions) {
          for (const id of Object.keys(state.families)) {
            revokeFamily(state, id, 'revoke_sessions', now)
          }
        }
        if (checked.fail_next_refresh !== undefined) {
          const fail = checked.fail_next_refresh
          const count = fail?.count ?? 1
          state.fail_next_refresh = fail && count > 0 ? { count, status: fail.status } : null
        }
      })
      return snapshot()
    },
    async reset({ keepRefreshMode = false } = {}) {
      await store.ready()
      const mode = store.read().config.refresh_mode
      await store.reset()
      if (keepRefreshMode) {
        store.update((state) => {
          state.config.refresh_mode = mode
        })
      }
      return snapshot()
    },
  }
}
