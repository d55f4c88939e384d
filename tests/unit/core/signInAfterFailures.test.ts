import { describe, expect, it } from 'vitest'
import { RefreshFailedError, RefreshLoopError } from '../../../src/core'
import { createHarness, installFakeClock, setupTestServer } from './support/harness'
import { createMapKeyValueStore } from './support/createMapKeyValueStore'

setupTestServer()

describe('a sign-in after refreshing was stopped', () => {
  it('closes a tripped breaker: the new session refreshes at once', async () => {
    installFakeClock()
    const { server, client, session } = createHarness()
    server.state.rejectAllRequests = true
    for (let i = 0; i < 10; i++) await client.get('/api/v1/data').catch(() => undefined)
    await expect(client.get('/api/v1/data')).rejects.toBeInstanceOf(RefreshLoopError)

    server.state.rejectAllRequests = false
    session.setTokens(server.login())
    server.revokeAccessTokens()
    const response = await client.get('/api/v1/data')

    expect(response.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(11)
  })

  it('lifts a Retry-After hold noted for every tab', async () => {
    installFakeClock()
    const { server, client, session } = createHarness({
      session: { tabStore: createMapKeyValueStore() },
    })
    server.state.retryAfter = '600'
    server.failNextRefresh(429)
    await expect(session.refresh()).rejects.toBeInstanceOf(RefreshFailedError)
    server.state.retryAfter = undefined

    session.setTokens(server.login())
    server.revokeAccessTokens()
    const response = await client.get('/api/v1/data')

    expect(response.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(2)
  })
})
