import { vi } from 'vitest'
import {
  createAuthSession,
  createLocalCoordinator,
  createMemoryStorage,
  type AuthState,
} from '../../../src/core'

/**
 * A stand-in session for binding tests: a real session (its store, its initial state, its
 * `retain`) whose methods that would reach a server or the scheduler are spies.
 */
export function fakeSession(state: Partial<AuthState> = {}) {
  const session = createAuthSession({
    storage: createMemoryStorage(),
    coordinator: createLocalCoordinator(),
    channel: null,
  })
  const { store } = session
  store.setState(state)
  return Object.assign(session, {
    onEvent: vi.fn(() => () => undefined),
    setTokens: vi.fn((pair: { accessToken: string }) =>
      store.setState({
        status: 'authenticated',
        accessToken: pair.accessToken,
        expiresAt: Date.now() + 300_000,
        user: { sub: 'u1', email: 'ada@example.org' },
        endReason: null,
      }),
    ),
    getAccessToken: vi.fn(async () => store.getState().accessToken ?? ''),
    peekAccessToken: vi.fn(() => store.getState().accessToken),
    noteRetried: vi.fn(),
    refresh: vi.fn(async () => 'refreshed'),
    logout: vi.fn(async () => store.setState({ status: 'ended', endReason: 'logout', user: null })),
    start: vi.fn(),
    stop: vi.fn(),
    destroy: vi.fn(),
  })
}
