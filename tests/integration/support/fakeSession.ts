import { vi } from 'vitest'
import { createStore } from 'zustand/vanilla'
import type { AuthSession, AuthState } from '../../../src/core'

const initial: AuthState = {
  status: 'anonymous',
  accessToken: null,
  refreshToken: null,
  expiresAt: null,
  user: null,
  refreshCount: 0,
  lastRefreshAt: null,
  error: null,
  endReason: null,
}

/** A stand-in session for binding tests: a real zustand store, every method a spy. */
export function fakeSession(state: Partial<AuthState> = {}) {
  const store = createStore<AuthState>(() => ({ ...initial, ...state }))
  const session = {
    store,
    getState: store.getState,
    subscribe: store.subscribe,
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
    emit: vi.fn(),
    refresh: vi.fn(async () => 'refreshed'),
    logout: vi.fn(async () => store.setState({ status: 'ended', endReason: 'logout', user: null })),
    start: vi.fn(),
    stop: vi.fn(),
    destroy: vi.fn(),
    forceExpire: vi.fn(),
    invalidateAccessToken: vi.fn(),
  } satisfies AuthSession
  return session
}
