import { HttpResponse, http } from 'msw'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  configureMock,
  getMockState,
  MockControlError,
  resetMock,
  runScenario,
} from '../../mocks/control'
import { server } from '../../mocks/node'
import { defineContractSuite } from './support/contractSuite'
import { createMockApi } from './support/mockApi'

const BASE = 'http://mock.local'

defineContractSuite('msw/node', async () => {
  server.listen({ onUnhandledRequest: 'error' })
  return { baseUrl: BASE, close: async () => server.close() }
})

describe('control functions mirror the /__mock routes', () => {
  const api = createMockApi(BASE)
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => server.close())
  beforeEach(async () => {
    server.resetHandlers()
    await resetMock()
  })

  it('configureMock and getMockState see the same state as the HTTP routes', async () => {
    const snapshot = await configureMock({ access_ttl_seconds: 42, reuse_grace_seconds: 3 })
    expect(snapshot.config.access_ttl_seconds).toBe(42)
    expect((await api.control.state()).config).toEqual(snapshot.config)
    await api.admin()
    expect((await getMockState()).counters.logins).toBe(1)
  })

  it('runScenario expires tokens and arms refresh failures; resetMock clears both', async () => {
    const { access, refresh } = await api.admin()
    await runScenario({ expire_access_tokens: true, fail_next_refresh: { status: 500 } })
    expect((await api.me(access)).body.detail).toBe('Token expired')
    expect((await api.refresh(refresh)).status).toBe(500)
    expect((await api.refresh(refresh)).status).toBe(200)
    await runScenario({ fail_next_refresh: { count: 3, status: 401 } })
    expect((await getMockState()).fail_next_refresh).toEqual({ count: 3, status: 401 })
    const reset = await resetMock()
    expect(reset.fail_next_refresh).toBeNull()
    expect(reset.counters.refreshes).toBe(0)
  })

  it('throws a MockControlError that names the field and the fix', async () => {
    await expect(configureMock({ latency_ms: -1 })).rejects.toThrow(MockControlError)
    await expect(configureMock({ latency_ms: -1 })).rejects.toThrow(
      '[token-refresh-kit mocks] configureMock: latency_ms must be an integer from 0 to 60000',
    )
    await expect(
      runScenario({ fail_next_refresh: { status: 418 as unknown as 500 } }),
    ).rejects.toThrow(/fail_next_refresh.status must be 401, 500 or "network"/)
  })

  it('lets a test override one route with server.use, once', async () => {
    server.use(
      http.post(
        '*/api/v1/auth/refresh',
        () => HttpResponse.json({ detail: 'down for maintenance' }, { status: 503 }),
        { once: true },
      ),
    )
    const { refresh } = await api.admin()
    expect((await api.refresh(refresh)).status).toBe(503)
    expect((await api.refresh(refresh)).status).toBe(200)
  })
})
