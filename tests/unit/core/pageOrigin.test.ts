// @vitest-environment jsdom
import axios, { AxiosError } from 'axios'
import { HttpResponse, http } from 'msw'
import { describe, expect, it } from 'vitest'
import { attachAuthInterceptor } from '../../../src/axios'
import { API, mswServer } from './support/authServer'
import { createHarness, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

/** Records the Authorization each request got, by full URL; the API itself 401s without the token. */
function recordHosts(token: () => string | null) {
  const seen: [string, string | null][] = []
  const answer = ({ request }: { request: Request }) => {
    const authorization = request.headers.get('authorization')
    seen.push([request.url, authorization])
    return authorization === `Bearer ${token()}`
      ? HttpResponse.json({ ok: true })
      : HttpResponse.json({ detail: 'Not authenticated' }, { status: 401 })
  }
  mswServer.use(
    http.all(`${location.origin}/api/*`, answer),
    http.all('http://other.example/*', answer),
  )
  return seen
}

const statusOf = (request: Promise<{ status: number }>) =>
  request.then(
    (response) => response.status,
    (error: unknown) => (error instanceof AxiosError ? error.response?.status : error),
  )

describe('the page’s origin, for an instance without an absolute baseURL (in a page)', () => {
  it.each([undefined, '', '/api'])(
    'sends the token to the page’s origin with baseURL %j, and nowhere else',
    async (baseURL) => {
      installFakeClock()
      const { server, session } = createHarness()
      const seen = recordHosts(() => session.getState().accessToken)
      const client = axios.create(baseURL === undefined ? {} : { baseURL })
      const eject = attachAuthInterceptor(client, session)

      const statuses = [
        await statusOf(client.get(baseURL === '/api' ? '/v1/jobs' : '/api/v1/jobs')),
        await statusOf(client.get('//other.example/x')),
        await statusOf(client.get(`${API}/api/v1/data`)),
      ]
      eject()

      const bearer = `Bearer ${session.getState().accessToken}`
      expect(statuses).toEqual([200, 401, 401])
      expect(seen).toEqual([
        [`${location.origin}/api/v1/jobs`, bearer],
        ['http://other.example/x', null],
      ])
      expect(server.state.sent).toEqual([expect.objectContaining({ token: null, status: 401 })])
      expect(server.state.counters.refreshes).toBe(0)
    },
  )

  it('sends the token to an absolute baseURL on another origin than the page’s (the app’s VITE_API_URL)', async () => {
    installFakeClock()
    const { server, client, session } = createHarness()
    expect(new URL(API).origin).not.toBe(location.origin)

    expect((await client.get('/api/v1/data')).status).toBe(200)

    expect(server.state.sent).toEqual([
      expect.objectContaining({ token: session.getState().accessToken, status: 200 }),
    ])
  })
})
