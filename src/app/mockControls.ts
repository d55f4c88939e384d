import type { MockControls } from 'token-refresh-kit/devtools'
import type { AuthStateSnapshot } from 'token-refresh-kit/msw'

/**
 * Whether this bundle carries the testers' tooling (mock controls, toolbar, demo accounts,
 * devtools bridge): in dev, and in a build on the mocks (no `VITE_API_URL`). A constant after
 * Vite's replacement, so a build for a backend drops the code it guards. It is inlined after
 * the module graph is made, though: to drop a dynamic import or a whole module, write the
 * expression out where it is used (main.tsx, SignInPage.tsx).
 */
export const mockToolsBuilt: boolean = import.meta.env.DEV || !import.meta.env.VITE_API_URL

/**
 * The mock control API (`/__mock/*`) over HTTP: the devtools bridge's `MockControls`, and what
 * the tester toolbar also needs.
 */
export interface MockControlClient extends MockControls {
  setLatency(ms: number): Promise<void>
  reset(): Promise<void>
  getState(): Promise<AuthStateSnapshot>
}

/**
 * A `/__mock` request the mocks refused (their `detail`), or one that never reached them. Not the
 * mocks' own `MockControlError`, which they throw in-process for a bad argument.
 */
export class MockControlRequestError extends Error {
  override name = 'MockControlRequestError' as const
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

/** The control API over HTTP at `baseURL` ('' for the page's own origin, the service worker). */
export const createMockControls: (baseURL?: string) => MockControlClient = mockToolsBuilt
  ? createHttpMockControls
  : () => {
      throw new MockControlRequestError(
        'This build has no mock controls: it was built for a backend (VITE_API_URL set). Use `npm run dev`, or build without VITE_API_URL, to test on the mocks.',
        0,
      )
    }

function createHttpMockControls(baseURL = ''): MockControlClient {
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
      throw new MockControlRequestError(
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
    getState: async () => (await call('state')) as AuthStateSnapshot,
  }
}

/**
 * Dev against `VITE_API_URL`: whether the backend there serves the control API (as
 * `npm run mock:server` does), so that the toolbar and the demo-account hint can use it.
 */
export async function hasMockControls(baseURL: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseURL}/__mock/state`, { signal: AbortSignal.timeout(3000) })
    // A dev server's SPA fallback answers any path with index.html: only the mocks' JSON counts.
    const body: unknown = response.ok ? await response.json() : null
    return typeof body === 'object' && body !== null && 'counters' in body
  } catch {
    return false
  }
}
