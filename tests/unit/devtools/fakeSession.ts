import { vi } from 'vitest'
import { createStore } from 'zustand/vanilla'
import type { AuthEvent, AuthEventListener, AuthSession, AuthState } from '../../../src/core/types'

// A signed part and a signature that the tests look for in every posted message.
export const HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'
export const PAYLOAD = Buffer.from(
  JSON.stringify({
    sub: '1',
    email: 'admin@etl.local',
    role: 'admin',
    iat: 1000,
    exp: 1300,
    jti: 'j1',
  }),
).toString('base64url')
export const SIGNATURE = 'c2lnbmF0dXJlLXRoYXQtbXVzdC1uZXZlci1sZWFr'
export const ACCESS_TOKEN = `${HEADER}.${PAYLOAD}.${SIGNATURE}`
export const REFRESH_TOKEN = 'refresh-secret-5f2c9a7e'

export function signedInState(): AuthState {
  return {
    status: 'authenticated',
    accessToken: ACCESS_TOKEN,
    refreshToken: REFRESH_TOKEN,
    expiresAt: 1_300_000,
    user: { sub: '1', email: 'admin@etl.local', role: 'admin', iat: 1000, exp: 1300, jti: 'j1' },
    refreshCount: 2,
    lastRefreshAt: 1_000_000,
    error: null,
    endReason: null,
  }
}

/**
 * A session with the real state shape and spies for the methods the bridge calls; `tester` holds
 * the spies the bridge reaches through createDevtoolsHandle, hung where the engine hangs its own.
 */
export function createFakeSession(state: AuthState = signedInState()) {
  const store = createStore<AuthState>(() => state)
  const listeners = new Set<AuthEventListener>()
  const emit = (event: AuthEvent) => listeners.forEach((listener) => listener(event))
  const session = {
    store,
    getState: () => store.getState(),
    subscribe: (listener: (s: AuthState, p: AuthState) => void) => store.subscribe(listener),
    onEvent: (listener: AuthEventListener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    setTokens: vi.fn(),
    getAccessToken: vi.fn(async () => ACCESS_TOKEN),
    peekAccessToken: () => store.getState().accessToken,
    noteRetried: (request: { method: string; url: string }) =>
      emit({ type: 'retried', ...request, at: Date.now() }),
    refresh: vi.fn(async () => ACCESS_TOKEN),
    logout: vi.fn(async () => undefined),
    start: vi.fn(),
    stop: vi.fn(),
    retain: vi.fn(() => () => undefined),
    destroy: vi.fn(),
  } satisfies AuthSession
  const tester = { forceExpire: vi.fn(), invalidateAccessToken: vi.fn() }
  Object.defineProperty(session, Symbol.for('token-refresh-kit.tester-hooks'), { value: tester })
  return { session, tester, store, emit, listenerCount: () => listeners.size }
}

export function createFakeMock() {
  return {
    expireAccessTokens: vi.fn(async () => undefined),
    failNextRefresh: vi.fn(async () => undefined),
    revokeSessions: vi.fn(async () => undefined),
    setAccessTokenLifetime: vi.fn(async () => undefined),
  }
}
