import { createRequire } from 'node:module'
import { resetMock, type MockStateSnapshot } from '../mocks/control'
import { startMockServer } from '../mocks/server'

interface AutocannonRequest {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest
  onResponse?: (status: number, body: string, context: object) => void
}

interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  non2xx: number
  errors: number
  timeouts: number
}

type Autocannon = (options: {
  url: string
  connections: number
  duration: number
  requests?: AutocannonRequest[]
  headers?: Record<string, string>
}) => Promise<AutocannonResult>

// autocannon ships no types; a narrow local signature is enough for what we call.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const CONNECTIONS = 10
const DURATION_S = 5

async function json(url: string, path: string, body: unknown, token?: string) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  return (await response.json()) as { access_token: string; refresh_token: string }
}

/**
 * Refresh requests per second the HTTP mock server sustains, each one spending a token that
 * the previous refresh of its chain returned (rotation and reuse detection stay strict),
 * against a health-check baseline measured in the same run.
 */
export async function run(): Promise<void> {
  const server = await startMockServer({ port: 0 })
  try {
    await resetMock()
    const { url } = server
    const sessions = await Promise.all(
      Array.from({ length: CONNECTIONS * 4 }, () =>
        json(url, '/api/v1/auth/login', { email: 'admin@etl.local', password: 'admin123' }),
      ),
    )
    const access = sessions[0]!.access_token

    // A pool of live refresh tokens: a request takes one, its response puts the successor
    // back, so every token is presented exactly once and every chain keeps rotating.
    const pool = sessions.map((s) => s.refresh_token)
    let spent = 0
    const refresh: AutocannonRequest = {
      method: 'POST',
      path: '/api/v1/auth/refresh',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => {
        const token = pool.pop()
        if (!token) throw new Error('bench/mockServer: ran out of refresh tokens')
        return { ...request, body: JSON.stringify({ refresh_token: token }) }
      },
      onResponse: (status, body) => {
        if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token)
        else spent += 1
      },
    }

    const measure = (requests: AutocannonRequest[]) =>
      autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, requests })
    const health = await measure([{ method: 'GET', path: '/api/v1/auth/health' }])
    const me = await measure([
      { method: 'GET', path: '/api/v1/auth/me', headers: { authorization: `Bearer ${access}` } },
    ])
    const refreshed = await measure([refresh])

    const row = (name: string, result: AutocannonResult) => ({
      request: name,
      'req/s': Math.round(result.requests.average),
      'p50 ms': result.latency.p50,
      'p99 ms': result.latency.p99,
      'non-2xx': result.non2xx,
      errors: result.errors + result.timeouts,
      'vs health': `${(result.requests.average / health.requests.average).toFixed(2)}x`,
    })
    console.log(
      `\nMock HTTP server (node:http over MSW getResponse), ${CONNECTIONS} connections, ` +
        `${DURATION_S} s each; autocannon runs in the same process, so these are lower bounds`,
    )
    console.table([
      row('GET /api/v1/auth/health (baseline)', health),
      row('GET /api/v1/auth/me (JWT verify)', me),
      row('POST /api/v1/auth/refresh (rotating)', refreshed),
    ])
    const { counters } = (await (await fetch(`${url}/__mock/state`)).json()) as MockStateSnapshot
    console.log(
      `refreshes at the server: ${counters.refreshes}, rejected: ${counters.refreshes_rejected}, ` +
        `reuse detected: ${counters.reuse_detected}, lost chains: ${spent}`,
    )
  } finally {
    await server.close()
  }
}
