import type { Scenario } from './auth/checkScenario'
import type { StateSnapshot } from './auth/controlOps'
import { mockAuth, setMockClock } from './db'
import type { MockConfig } from './model'

export { setMockClock }
export { MockControlError } from './auth/MockControlError'

export type MockStateSnapshot = StateSnapshot<MockConfig>
export type MockScenario = Scenario

// The mocks' control functions are their auth instance's, named and keyed as the /__mock routes
// name them; like those routes (which run them in a transaction) they open none of their own.
const { ops } = mockAuth

export function getMockState(): Promise<MockStateSnapshot> {
  return mockAuth.store.ready().then(() => ops.snapshot())
}

/** Changes the config; tokens, jobs and runs created afterwards follow it. */
export function configureMock(partial: Partial<MockConfig>): Promise<MockStateSnapshot> {
  return ops.configure(partial as Record<string, unknown>, 'configureMock')
}

/** Applies one or more scenarios at once, in the order: clock, expire, revoke, fail. */
export function runScenario(scenario: MockScenario): Promise<MockStateSnapshot> {
  return ops.runScenario(scenario, 'runScenario')
}

/** Back to the seed: the two users, no sessions, default config (but the refresh mode) and counters, a new signing key. */
export function resetMock(): Promise<MockStateSnapshot> {
  // The refresh mode is how the backend is built, not a scenario: the app in front of it was
  // built for that mode, so a reset keeps it.
  return ops.reset({ keepRefreshMode: true })
}
