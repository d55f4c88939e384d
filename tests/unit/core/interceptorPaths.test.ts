import axios, { type InternalAxiosRequestConfig } from 'axios'
import { describe, expect, it, vi } from 'vitest'
import { attachAuthInterceptor } from '../../../src/axios'
import type { AuthSession } from '../../../src/core'
import { API } from './support/authServer'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'
import { createHarness, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

/**
 * An axios client with our interceptor and, registered after it so that axios runs it first, one
 * that hands on a copy of the config: the copy drops symbol-keyed properties.
 */
function createClientBehindCopy(session: AuthSession) {
  const client = axios.create({ baseURL: API })
  const eject = attachAuthInterceptor(client, session)
  client.interceptors.request.use(
    async (config) =>
      Object.fromEntries(Object.entries(config)) as unknown as InternalAxiosRequestConfig,
  )
  return { client, eject }
}

describe('the interceptor’s synchronous and waiting paths', () => {
  it('sends each request once, with the token, when the token looks expired to one path check and not the other', async () => {
    installFakeClock()
    const { server, client, session } = createHarness()
    const peek = session.peekAccessToken
    // Every other look sees no usable token, as when the clock crosses the expiry between the
    // decision of one path and that of the other: a request must take exactly one of them.
    let looks = 0
    vi.spyOn(session, 'peekAccessToken').mockImplementation(() => (looks++ % 2 ? peek() : null))

    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.get('/api/v1/data', { headers: { 'x-req': String(i) } }).then((r) => r.status),
      ),
    )

    expect(statuses.filter((status) => status === 200)).toHaveLength(20)
    expect(server.state.sent).toHaveLength(20)
    expect(server.state.sent.every(({ token }) => token === session.getState().accessToken)).toBe(
      true,
    )
    expect(server.state.counters.unauthorized).toBe(0)
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('attaches the token when a request interceptor that runs first hands on a copy of the config', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    const { client, eject } = createClientBehindCopy(session)

    const response = await client.get('/api/v1/data')
    eject()

    expect(response.status).toBe(200)
    expect(server.state.sent).toHaveLength(1)
    expect(server.state.sent[0]?.token).toBe(session.getState().accessToken)
  })

  it('sends no made-up token when the plan is lost on a copy and the token expired meanwhile', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    const { client, eject } = createClientBehindCopy(session)
    // Our `runWhen` sees a usable token; by the time the copy reaches us, none is left.
    const peek = session.peekAccessToken
    vi.spyOn(session, 'peekAccessToken').mockImplementationOnce(peek).mockReturnValue(null)

    const error = await client.get('/api/v1/data').catch((e: unknown) => e)
    eject()

    expect(error).toMatchObject({ isAxiosError: true, response: { status: 401 } })
    expect(server.state.sent).toEqual([expect.objectContaining({ token: null, status: 401 })])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('leaves requests alone once ejected: no token, and a 401 refreshes nothing', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    const client = axios.create({ baseURL: API })
    attachAuthInterceptor(client, session)()

    const error = await client.get('/api/v1/data').catch((e: unknown) => e)

    expect(error).toMatchObject({ isAxiosError: true, response: { status: 401 } })
    expect(server.state.sent).toEqual([expect.objectContaining({ token: null, status: 401 })])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('sends a skipAuthRefresh request with an expired token at once, without a token, and starts no refresh', async () => {
    installFakeClock()
    const { server, client, session } = createHarness()
    createDevtoolsHandle(session).forceExpire()

    const error = await client
      .get('/api/v1/data', { skipAuthRefresh: true })
      .catch((e: unknown) => e)

    expect(error).toMatchObject({ isAxiosError: true, response: { status: 401 } })
    expect(server.state.sent).toEqual([expect.objectContaining({ token: null, status: 401 })])
    expect(server.state.counters.refreshes).toBe(0)
  })
})
