import type { MockStateSnapshot } from '../../mocks/control'
import type { FailRefreshStatus } from '../../mocks/model'

export type MockState = MockStateSnapshot
export type FailStatus = FailRefreshStatus

/** The mock control API (`/__mock/*`), for the devtools bridge and the tester toolbar. */
export interface MockControls {
  expireAccessTokens(): Promise<void>
  failNextRefresh(status: FailStatus): Promise<void>
  revokeSessions(): Promise<void>
  setAccessTokenLifetime(seconds: number): Promise<void>
  setLatency(ms: number): Promise<void>
  reset(): Promise<void>
  getState(): Promise<MockState>
}

/** A control call the mocks refused (their `detail`), or one that never reached them. */
export class MockControlError extends Error {
  override name = 'MockControlError' as const
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

export function createMockControls(baseURL = ''): MockControls {
  async function call(path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${baseURL}/__mock/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) {
      const detail = await response
        .json()
        .then((body: { detail?: unknown }) =>
          typeof body?.detail === 'string' ? body.detail : null,
        )
        .catch(() => null)
      // A JSON detail means the mocks answered and refused: say their reason, not a guess.
      throw new MockControlError(
        detail ?? `${path} answered ${response.status}: is the app on its mocks?`,
        response.status,
      )
    }
    return response.json().catch(() => null)
  }
  return {
    expireAccessTokens: async () => void (await call('scenario', { expire_access_tokens: true })),
    failNextRefresh: async (status) =>
      void (await call('scenario', { fail_next_refresh: { count: 1, status } })),
    revokeSessions: async () => void (await call('scenario', { revoke_sessions: true })),
    setAccessTokenLifetime: async (seconds) =>
      void (await call('config', { access_ttl_seconds: seconds })),
    setLatency: async (ms) => void (await call('config', { latency_ms: ms })),
    reset: async () => void (await call('reset', {})),
    getState: async () => (await call('state')) as MockState,
  }
}
