import axios, { AxiosError } from 'axios'
import { HttpResponse, http } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { InvalidOptionError, createAuthSession } from '../../../src/core'
import { attachAuthInterceptor } from '../../../src/axios'
import { API, mswServer } from './support/authServer'
import { createHarness, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

const OTHER = 'https://other.example'

/** Hosts other than the API: each records the Authorization it got and answers `status` (a foreign API 401s our token). */
function foreignHosts(status = 401) {
  const seen: { url: string; authorization: string | null }[] = []
  const answer = ({ request }: { request: Request }) => {
    seen.push({ url: request.url, authorization: request.headers.get('authorization') })
    return HttpResponse.json({ detail: status === 401 ? 'Not authenticated' : 'ok' }, { status })
  }
  mswServer.use(
    http.all(`${OTHER}/*`, answer),
    http.all('https://api.test/*', answer),
    http.all('http://api.test:8080/*', answer),
    http.all('https://acme.tenant.example/*', answer),
  )
  return seen
}

const statusOf = (request: Promise<unknown>) =>
  request.then(
    () => 200,
    (error: unknown) => (error instanceof AxiosError ? error.response?.status : error),
  )

describe('the token goes only to allowed origins', () => {
  it('sends no token to another origin, and its 401 neither refreshes nor retries', async () => {
    installFakeClock()
    const seen = foreignHosts()
    const { server, client, session, events } = createHarness()

    expect(await statusOf(client.get(`${OTHER}/x?token=no`))).toBe(401)

    expect(seen).toEqual([{ url: `${OTHER}/x?token=no`, authorization: null }])
    expect(server.state.counters.refreshes).toBe(0)
    expect(events.filter((event) => event.type === 'retried')).toEqual([])
    expect(session.getState().status).toBe('authenticated')
  })

  it('sends the token to the baseURL origin, by relative or absolute URL, whatever the host’s case', async () => {
    installFakeClock()
    const { server, client, session } = createHarness()

    await client.get('/api/v1/data')
    await client.get(`${API}/api/v1/data`)
    await client.get('HTTP://API.TEST:80/api/v1/data')

    const token = session.getState().accessToken
    expect(server.state.sent.map((sent) => sent.token)).toEqual([token, token, token])
  })

  it('treats another port or scheme of the API host as another origin', async () => {
    installFakeClock()
    const seen = foreignHosts()
    const { server, client } = createHarness()

    expect(await statusOf(client.get('http://api.test:8080/api/v1/data'))).toBe(401)
    expect(await statusOf(client.get('https://api.test/api/v1/data'))).toBe(401)

    expect(seen.map((request) => request.authorization)).toEqual([null, null])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('neither holds a request to another origin while the token is expired nor refreshes for it', async () => {
    installFakeClock()
    const seen = foreignHosts()
    const { server, client } = createHarness()
    vi.advanceTimersByTime(301_000)

    // No fake time passes: a request held for a refresh would not settle.
    expect(await statusOf(client.get(`${OTHER}/x`))).toBe(401)

    expect(seen).toHaveLength(1)
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('leaves an Authorization header the app set itself, and does not refresh on its 401', async () => {
    installFakeClock()
    const seen = foreignHosts()
    const { server, client } = createHarness()

    const status = await statusOf(
      client.get(`${OTHER}/x`, { headers: { Authorization: 'Bearer their-own-key' } }),
    )

    expect(status).toBe(401)
    expect(seen.map((request) => request.authorization)).toEqual(['Bearer their-own-key'])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('follows axios’s rule for the final URL: a per-request baseURL, allowAbsoluteUrls: false', async () => {
    installFakeClock()
    const seen = foreignHosts()
    const { server, client, session } = createHarness()
    mswServer.use(
      http.get(`${API}/other.example/x`, ({ request }) =>
        HttpResponse.json({ authorization: request.headers.get('authorization') }),
      ),
    )

    // The instance's baseURL decides what is ours, not the one a request brings.
    expect(await statusOf(client.get('/x', { baseURL: OTHER }))).toBe(401)
    // Axios prefixes even a protocol-relative URL with the baseURL here: it goes to the API.
    const combined = await client.get('//other.example/x', { allowAbsoluteUrls: false })

    expect(seen).toEqual([{ url: `${OTHER}/x`, authorization: null }])
    expect(combined.data).toEqual({ authorization: `Bearer ${session.getState().accessToken}` })
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('judges the URL again after an interceptor that runs before ours moves the request elsewhere', async () => {
    installFakeClock()
    const seen = foreignHosts()
    const { client } = createHarness()
    // Registered after ours, so axios runs it first, after our `runWhen` saw the old URL.
    client.interceptors.request.use((config) => ({ ...config, url: `${OTHER}/moved` }), undefined, {
      synchronous: true,
    })

    expect(await statusOf(client.get('/api/v1/data'))).toBe(401)

    expect(seen).toEqual([{ url: `${OTHER}/moved`, authorization: null }])
  })

  it('judges the request again when an interceptor that runs before ours changes its baseURL in place', async () => {
    installFakeClock()
    const seen = foreignHosts()
    const { client } = createHarness()
    client.interceptors.request.use(
      (config) => {
        config.baseURL = OTHER
        return config
      },
      undefined,
      { synchronous: true },
    )

    expect(await statusOf(client.get('/moved'))).toBe(401)

    expect(seen).toEqual([{ url: `${OTHER}/moved`, authorization: null }])
  })

  it('judges the request again when an interceptor that runs before ours lets its absolute URL past the baseURL', async () => {
    installFakeClock()
    const seen = foreignHosts()
    const { client } = createHarness()
    client.interceptors.request.use(
      (config) => {
        config.allowAbsoluteUrls = true
        return config
      },
      undefined,
      { synchronous: true },
    )

    // As made, the request went to the API (`allowAbsoluteUrls: false`); as sent, to OTHER.
    expect(await statusOf(client.get(`${OTHER}/moved`, { allowAbsoluteUrls: false }))).toBe(401)

    expect(seen).toEqual([{ url: `${OTHER}/moved`, authorization: null }])
  })

  it('sends the token to allowedOrigins given as strings, RegExps and predicates', async () => {
    installFakeClock()
    const seen = foreignHosts(200)
    const { server, session } = createHarness()
    const client = axios.create({ baseURL: API })
    const eject = attachAuthInterceptor(client, session, {
      allowedOrigins: [
        OTHER,
        /^https:\/\/[a-z]+\.tenant\.example$/,
        (o) => o === 'https://api.test',
      ],
    })

    await client.get(`${OTHER}/a`)
    await client.get('https://acme.tenant.example/b')
    await client.get('https://api.test/c')
    expect(await statusOf(client.get('http://api.test:8080/d'))).toBe(200)
    eject()

    const bearer = `Bearer ${session.getState().accessToken}`
    expect(seen.map(({ url, authorization }) => [new URL(url).pathname, authorization])).toEqual([
      ['/a', bearer],
      ['/b', bearer],
      ['/c', bearer],
      ['/d', null],
    ])
    expect(server.state.counters.refreshes).toBe(0)
  })

  it('refreshes and retries once on a 401 from an allowed origin, as on its own', async () => {
    installFakeClock()
    const { server, session } = createHarness()
    const client = axios.create({ baseURL: API })
    const eject = attachAuthInterceptor(client, session, { allowedOrigins: OTHER })
    const sent: (string | null)[] = []
    mswServer.use(
      http.get(`${OTHER}/a`, ({ request }) => {
        sent.push(request.headers.get('authorization'))
        return sent.length === 1
          ? HttpResponse.json({ detail: 'Token expired' }, { status: 401 })
          : HttpResponse.json({ ok: true })
      }),
    )
    const first = session.getState().accessToken

    const response = await client.get(`${OTHER}/a`)
    eject()

    expect(response.status).toBe(200)
    expect(server.state.counters.refreshes).toBe(1)
    expect(sent).toEqual([`Bearer ${first}`, `Bearer ${session.getState().accessToken}`])
    expect(session.getState().accessToken).not.toBe(first)
  })

  it('rejects an allowedOrigins string that is not an origin when attaching', () => {
    const session = createAuthSession({ channel: null })
    const attach = () =>
      attachAuthInterceptor(axios.create({ baseURL: API }), session, {
        allowedOrigins: ['https://other.example/api'],
      })

    expect(attach).toThrow(InvalidOptionError)
    expect(attach).toThrow(/"https:\/\/other.example\/api" is not an origin/)
    session.stop()
  })
})
