import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { NotAuthenticatedError } from '../../../src/core'
import { API, mswServer } from './support/authServer'
import { createHarness, flush, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

describe('requests while nobody is signed in', () => {
  it('are sent at once, without a token, so public endpoints work before login', async () => {
    installFakeClock()
    const seen: (string | null)[] = []
    mswServer.use(
      http.get(`${API}/api/v1/catalog`, ({ request }) => {
        seen.push(request.headers.get('authorization'))
        return HttpResponse.json({ items: [] })
      }),
    )
    const { server, client, session } = createHarness({ signIn: false })
    expect(session.getState().status).toBe('anonymous')

    const response = await client.get('/api/v1/catalog')

    expect(response.status).toBe(200)
    expect(seen).toEqual([null])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('make refresh() and getAccessToken() reject with NotAuthenticatedError, calling no server', async () => {
    installFakeClock()
    const { server, session } = createHarness({ signIn: false })

    await expect(session.refresh()).rejects.toBeInstanceOf(NotAuthenticatedError)
    await expect(session.getAccessToken()).rejects.toBeInstanceOf(NotAuthenticatedError)
    await flush()

    expect(server.state.counters.refreshes).toBe(0)
    expect(session.getState().status).toBe('anonymous')
  })

  it('get a 401 back as the server sent it: no token was sent, so there is none to refresh', async () => {
    installFakeClock()
    mswServer.use(
      http.get(`${API}/api/v1/members`, () => HttpResponse.json({ detail: 'no' }, { status: 401 })),
    )
    const { server, client } = createHarness({ signIn: false })

    const error = await client.get('/api/v1/members').catch((e: unknown) => e)

    expect(error).toMatchObject({ isAxiosError: true, response: { status: 401 } })
    expect(server.state.counters.refreshes).toBe(0)
  })
})
