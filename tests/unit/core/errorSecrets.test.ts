import { describe, expect, it, vi } from 'vitest'
import {
  InvalidRefreshResponseError,
  AuthTimeoutError,
  HttpFailure,
  SessionEndedError,
  UnauthorizedError,
} from '../../../src/core'
import type { AuthServer } from './support/authServer'
import { findSecrets } from './support/findSecrets'
import {
  advance,
  createHarness,
  installFakeClock,
  settle,
  setupTestServer,
} from './support/harness'

setupTestServer()

/** Every access and refresh token the server ever issued. */
const issuedTokens = (server: AuthServer) => [
  ...server.state.access,
  ...server.state.refresh,
  ...server.state.used,
]

const expectNoSecrets = (value: unknown, secrets: string[]) => {
  expect(secrets.length).toBeGreaterThan(0)
  expect(findSecrets(value, secrets)).toEqual([])
  const json = JSON.stringify(value) ?? ''
  for (const secret of secrets) expect(json).not.toContain(secret)
}

describe('no token is reachable from what the kit throws', () => {
  it('keeps method, path, status and detail of a request answered 401 twice, and no token', async () => {
    installFakeClock()
    const { server, client, events } = createHarness()
    server.state.rejectAllRequests = true

    const error = await client.get('/api/v1/data?page=2').catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(server.state.counters.refreshes).toBe(1)
    const secrets = issuedTokens(server)
    expect(secrets).toHaveLength(4) // two access and two refresh tokens: before and after the refresh
    expectNoSecrets(error, secrets)
    expectNoSecrets(events, secrets)
    const { cause } = error as UnauthorizedError
    expect(cause).toBeInstanceOf(HttpFailure)
    expect((cause as HttpFailure).toJSON()).toEqual({
      name: 'HttpFailure',
      message: 'GET /api/v1/data answered 401: Token expired',
      method: 'GET',
      path: '/api/v1/data',
      status: 401,
      detail: 'Token expired',
    })
  })

  it.each([401, 400, 403])(
    'rejects the waiting callers with no token when the refresh is rejected with %i',
    async (status) => {
      installFakeClock()
      const { server, client, session, events } = createHarness()
      vi.advanceTimersByTime(301_000)
      server.failNextRefresh(status as 401 | 400 | 403)

      const errors = await Promise.all(
        [client.get('/api/v1/data'), client.post('/api/v1/jobs', { name: 'a' })].map((request) =>
          request.catch((caught: unknown) => caught),
        ),
      )

      for (const error of errors) expect(error).toBeInstanceOf(SessionEndedError)
      const secrets = issuedTokens(server)
      expectNoSecrets(errors, secrets)
      expectNoSecrets(session.getState().error, secrets)
      expectNoSecrets(events, secrets)
    },
  )

  it('rejects a request whose 401 leads to a rejected refresh with no token', async () => {
    installFakeClock()
    const { server, client, events } = createHarness()
    server.revokeAccessTokens()
    const secrets = issuedTokens(server)
    server.failNextRefresh(401)

    const error = await client.get('/api/v1/data').catch((caught: unknown) => caught)

    expect(error).toBeInstanceOf(SessionEndedError)
    expect(server.state.sent).toHaveLength(1)
    expectNoSecrets(error, secrets)
    expectNoSecrets(events, secrets)
  })

  it.each([
    [500, AuthTimeoutError],
    ['network', AuthTimeoutError],
    ['timeout', AuthTimeoutError],
    // An unusable answer fails the held request at once instead of timing it out.
    ['not-json', InvalidRefreshResponseError],
  ] as const)(
    'fails a held request with no token when every refresh fails with %s',
    async (failure, expected) => {
      installFakeClock()
      const { server, client, events } = createHarness({
        interceptor: { holdTimeoutMs: 15_000 },
        // A call with no answer is kept 12 s here, so that its failure is seen within the hold.
        session: { maxRefreshCallMs: 12_000 },
      })
      vi.advanceTimersByTime(301_000)
      server.failNextRefresh(...Array.from({ length: 10 }, () => failure))

      const request = settle(client.get('/api/v1/data'))
      await advance(16_000)

      expect(request.error).toBeInstanceOf(expected)
      if (expected === AuthTimeoutError) {
        expect((request.error as AuthTimeoutError).cause).toBeInstanceOf(Error)
      }
      const secrets = issuedTokens(server)
      expectNoSecrets(request.error, secrets)
      expectNoSecrets(events, secrets)
    },
  )
})
