import axios, { AxiosError, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { UnauthorizedError } from '../../../src/core'
import { attachAuthInterceptor } from '../../../src/axios'
import { API, mswServer } from './support/authServer'
import { createHarness, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

/** An app's own error class, made from axios's by a response interceptor that runs before ours. */
class ApiError extends Error {
  constructor(
    readonly config: InternalAxiosRequestConfig | undefined,
    readonly response: AxiosResponse | undefined,
  ) {
    super('API call failed')
  }
}

describe('failures the interceptor passes on as they are', () => {
  it('a network error with no answer reaches the caller as axios made it, with no refresh', async () => {
    installFakeClock()
    mswServer.use(http.get(`${API}/api/v1/down`, () => HttpResponse.error()))
    const { server, client } = createHarness()

    const error = await client.get('/api/v1/down').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response).toBeUndefined()
    expect((error as Error).message).toBe('Network error')
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('whatever an interceptor that runs before ours rejects with, even null', async () => {
    installFakeClock()
    const { server, client } = createHarness()
    // Registered after ours, so axios runs it first; its rejection skips the call.
    client.interceptors.request.use(() => Promise.reject(null))

    await expect(client.get('/api/v1/data')).rejects.toBeNull()
    expect(server.state.counters).toMatchObject({ requests: 0, refreshes: 0 })
  })

  it('a 401 that an earlier response interceptor turned into its own error: no refresh, no retry', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    const client = axios.create({ baseURL: API })
    // Registered before ours, so it sees the failure first.
    client.interceptors.response.use(undefined, (error: AxiosError) =>
      Promise.reject(new ApiError(error.config, error.response)),
    )
    const eject = attachAuthInterceptor(client, session)
    server.revokeAccessTokens()

    const error = await client.get('/api/v1/data').catch((e: unknown) => e)
    eject()

    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ response: { status: 401 } })
    expect(server.state.sent).toHaveLength(1)
    expect(server.state.counters.refreshes).toBe(0)
  })
})

describe('how the interceptor names a request it retried', () => {
  it('by its own method and path, in the retried event', async () => {
    installFakeClock()
    const { server, client, events } = createHarness()
    server.revokeAccessTokens()

    const response = await client.post('/api/v1/jobs?draft=1', { name: 'j' })

    expect(response.status).toBe(201)
    expect(server.state.counters.refreshes).toBe(1)
    expect(events.filter((event) => event.type === 'retried')).toEqual([
      expect.objectContaining({ method: 'POST', url: '/api/v1/jobs' }),
    ])
  })

  it('by the URL it was given when that URL does not parse on its own', async () => {
    installFakeClock()
    // With allowAbsoluteUrls: false axios puts the baseURL in front: the call goes to the API.
    mswServer.use(
      http.get(`${API}/*`, () =>
        HttpResponse.json({ detail: 'Not authenticated' }, { status: 401 }),
      ),
    )
    const { client, events } = createHarness()

    const error = await client
      .get('http://bad host/x?q=1', { allowAbsoluteUrls: false })
      .catch((e: unknown) => e)

    expect(error).toBeInstanceOf(UnauthorizedError)
    expect((error as Error).message).toMatch(/^GET http:\/\/bad host\/x was answered 401 again/)
    expect(events.filter((event) => event.type === 'retried')).toEqual([
      expect.objectContaining({ method: 'GET', url: 'http://bad host/x' }),
    ])
  })
})
