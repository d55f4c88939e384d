import axios, { type AxiosAdapter } from 'axios'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { focusManager } from '../../../src/core'
import { mswServer } from './support/authServer'
import {
  advance,
  createHarness,
  flush,
  settle,
  installFakeClock,
  setupTestServer,
} from './support/harness'

setupTestServer()

type Command =
  | { kind: 'requests'; count: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'revoke' }
  | { kind: 'reject-all'; on: boolean }
  | { kind: 'next-refresh'; outcome: 500 | 503 | 429 | 401 | 'network' }
  | { kind: 'focus' }
  | { kind: 'manual' }

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('requests' as const),
      count: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 0, max: 200_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('reject-all' as const), on: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('next-refresh' as const),
      outcome: fc.constantFrom(
        500 as const,
        503 as const,
        429 as const,
        401 as const,
        'network' as const,
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('focus' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('manual' as const) }) },
)

async function play(commands: Command[]) {
  installFakeClock()
  const harness = createHarness({ ttlSeconds: 120 })
  const { session, client, server } = harness
  // What the client knew about each token's expiry, to catch one sent when known to be expired.
  const knownExpiry = new Map<string, number>()
  const remember = () => {
    const { accessToken, expiresAt } = session.getState()
    if (accessToken && expiresAt !== null) knownExpiry.set(accessToken, expiresAt)
  }
  remember()
  const stopRemembering = session.subscribe(remember)
  const sentExpired: string[] = []
  const http = axios.getAdapter('http') as AxiosAdapter
  client.defaults.adapter = (config) => {
    const token = String(config.headers.get('Authorization') ?? '').slice(7)
    const expiry = knownExpiry.get(token)
    if (expiry !== undefined && expiry <= Date.now())
      sentExpired.push(String(config.headers.get('x-req')))
    return http(config)
  }
  session.start()
  const requests: ReturnType<typeof settle<unknown>>[] = []
  let id = 0
  for (const step of commands) {
    if (step.kind === 'requests') {
      for (let i = 0; i < step.count; i++) {
        requests.push(settle(client.get('/api/v1/data', { headers: { 'x-req': String(++id) } })))
      }
    } else if (step.kind === 'wait') await advance(step.ms, 2_000)
    else if (step.kind === 'revoke') server.revokeAccessTokens()
    else if (step.kind === 'reject-all') server.state.rejectAllRequests = step.on
    else if (step.kind === 'next-refresh') server.failNextRefresh(step.outcome)
    else if (step.kind === 'focus') focusManager.onFocus()
    else void session.refresh().catch(() => undefined)
    await flush()
  }
  await advance(120_000, 2_000)
  session.stop()
  stopRemembering()
  mswServer.resetHandlers()
  vi.useRealTimers()
  return { ...harness, requests, sentExpired }
}

describe('random interleavings of requests, expiries, 401s and refresh outcomes', () => {
  it('keep the invariants', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 25 }), async (commands) => {
        const { server, session, requests, sentExpired } = await play(commands)

        // At most one refresh in flight, counted at the server.
        expect(server.state.maxInFlight).toBeLessThanOrEqual(1)
        // No request sent more than twice (the first try and one retry).
        const sends = new Map<string | null, number>()
        server.state.sent.forEach(({ id }) => sends.set(id, (sends.get(id) ?? 0) + 1))
        expect(Math.max(0, ...sends.values())).toBeLessThanOrEqual(2)
        // No request sent with a token the client knew had expired.
        expect(sentExpired).toEqual([])
        // The session ends only after the server rejected a refresh.
        if (session.getState().status === 'ended')
          expect(server.state.counters.rejected).toBeGreaterThan(0)
        if (server.state.counters.rejected === 0)
          expect(session.getState().status).toBe('authenticated')
        // Nothing hangs: every request has settled.
        expect(requests.every((request) => request.done)).toBe(true)
      }),
      { numRuns: 60 },
    )
  }, 120_000)
})
