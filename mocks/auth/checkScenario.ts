import type { FieldError } from '../httpErrors'
import type { FailRefreshStatus } from './failRefreshStatus'
import { MockControlError } from './MockControlError'

export interface Scenario {
  /** Every access token issued so far counts as expired at the server. */
  expire_access_tokens?: boolean
  /** The next `count` (default 1) refreshes fail with this status; `null` clears it. */
  fail_next_refresh?: { count?: number; status: FailRefreshStatus } | null
  /** Revokes every session: refresh tokens and the access tokens issued with them. */
  revoke_sessions?: boolean
  /** Moves the mock's clock forward (tokens, throttles and the repo's jobs all see it). */
  advance_clock_seconds?: number
}

const SCENARIOS = [
  'expire_access_tokens',
  'fail_next_refresh',
  'revoke_sessions',
  'advance_clock_seconds',
]

/** The scenario as given, once every key and value is known good; else a MockControlError. */
export function checkScenario(scenario: Record<string, unknown>, operation: string): Scenario {
  const errors: FieldError[] = []
  for (const key of Object.keys(scenario)) {
    if (!SCENARIOS.includes(key))
      errors.push({ field: key, message: `is not a scenario (known: ${SCENARIOS.join(', ')})` })
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
  if (errors.length > 0) throw new MockControlError(operation, errors)
  return scenario as Scenario
}
