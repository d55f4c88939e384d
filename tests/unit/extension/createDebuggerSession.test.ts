import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDebuggerSession } from '../../../src/extension/createDebuggerSession'
import { jwt } from './jwt'

const API = 'http://127.0.0.1:8787'
const oldToken = jwt({ sub: '1', iat: 1000, exp: 1300 })
const newToken = jwt({ sub: '1', iat: 1300, exp: 1600 }, 'bmV3LXNpZ25hdHVyZQ')

/** A session on a fake tab: `sent` records the protocol commands, `page` plays the page. */
function setup() {
  const sent: Array<{ method: string; params: Record<string, unknown> }> = []
  const session = createDebuggerSession(
    {
      send: async (method, params = {}) => {
        sent.push({ method, params })
        if (method === 'Fetch.getResponseBody') {
          const body = JSON.stringify({ success: true, token: newToken })
          return { body, base64Encoded: false }
        }
        return {}
      },
    },
    () => undefined,
  )
  let next = 0
  // Lets the session's promise chains run (microtasks only, so fake timers stay in control).
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve()
  }
  const page = {
    async request(path: string, token: string | null, method = 'GET') {
      const requestId = `r${++next}`
      const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
      session.handleEvent('Fetch.requestPaused', {
        requestId,
        networkId: requestId,
        request: { url: `${API}${path}`, method, headers },
      })
      await settle()
      return requestId
    },
    async respond(requestId: string, path: string, status: number) {
      session.handleEvent('Fetch.requestPaused', {
        requestId,
        networkId: requestId,
        request: { url: `${API}${path}`, method: 'GET', headers: {} },
        responseStatusCode: status,
        responseHeaders: [{ name: 'Content-Type', value: 'application/json' }],
      })
      await settle()
    },
    answer: (requestId: string) =>
      sent.find(
        (call) =>
          call.params.requestId === requestId &&
          ['Fetch.fulfillRequest', 'Fetch.continueRequest', 'Fetch.failRequest'].includes(
            call.method,
          ),
      ),
  }
  return { session, page, sent }
}

describe('createDebuggerSession', () => {
  it('refuses to expire before it has seen a token, and says how to go on', () => {
    const { session } = setup()
    const action = session.command('a1', 'Expire access token', { type: 'expire' })
    expect(action.ok).toBe(false)
    expect(action.detail).toContain('No Bearer token seen yet')
  })

  it('answers 401 to every request bearing the expired token until the page sends another', async () => {
    const { session, page } = setup()
    await page.request('/api/v1/jobs', oldToken)
    session.command('a1', 'Expire access token', { type: 'expire' })
    const first = await page.request('/api/v1/jobs', oldToken)
    const second = await page.request('/api/v1/jobs', oldToken)
    for (const id of [first, second]) {
      const answer = page.answer(id)!
      expect(answer.method).toBe('Fetch.fulfillRequest')
      expect(answer.params.responseCode).toBe(401)
    }
    const refresh = await page.request('/api/v1/auth/refresh', oldToken, 'POST')
    expect(page.answer(refresh)!.method).toBe('Fetch.continueRequest')
    await page.respond(refresh, '/api/v1/auth/refresh', 200)
    const retried = await page.request('/api/v1/jobs', newToken)
    expect(page.answer(retried)!.method).toBe('Fetch.continueRequest')
    await page.respond(retried, '/api/v1/jobs', 200)
    // The rule ended with the new token: the old one is no longer answered by the extension.
    const late = await page.request('/api/v1/jobs', oldToken)
    expect(page.answer(late)!.method).toBe('Fetch.continueRequest')
    expect(session.view().expireActive).toBe(false)
  })

  it('tells concurrent first tries from retries: a retry bears another token', async () => {
    const { session, page } = setup()
    await page.request('/api/v1/jobs', oldToken)
    session.command('a1', 'Expire access token', { type: 'expire' })
    for (let i = 0; i < 5; i++) await page.request('/api/v1/jobs', oldToken)
    for (let i = 0; i < 5; i++) {
      const refresh = await page.request('/api/v1/auth/refresh', oldToken, 'POST')
      await page.respond(refresh, '/api/v1/auth/refresh', 200)
    }
    for (let i = 0; i < 5; i++) {
      const retry = await page.request('/api/v1/jobs', newToken)
      await page.respond(retry, '/api/v1/jobs', 200)
    }
    expect(session.view().actions[0]!.next).toBe(
      '5 requests answered 401 -> 5 refreshes -> 5 retried, 200',
    )
  })

  it('fails the next refresh call once, as armed', async () => {
    const { session, page } = setup()
    session.command('a1', 'Fail next refresh', {
      type: 'fail-next-refresh',
      failure: { kind: 'network' },
    })
    const failed = await page.request('/api/v1/auth/refresh', null, 'POST')
    expect(page.answer(failed)!.method).toBe('Fetch.failRequest')
    const next = await page.request('/api/v1/auth/refresh', null, 'POST')
    expect(page.answer(next)!.method).toBe('Fetch.continueRequest')
    expect(session.view().failNextRefresh).toBeNull()
  })

  it('shows the claims and a masked token, never the token', async () => {
    const { session, page } = setup()
    await page.request('/api/v1/jobs', oldToken)
    const view = session.view()
    expect(view.token?.claims).toEqual({ sub: '1', iat: 1000, exp: 1300 })
    expect(JSON.stringify(view)).not.toContain(oldToken.split('.')[2])
  })
})

describe('createDebuggerSession timing', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('holds a slow refresh N seconds and every request by the latency, then lets them go', async () => {
    vi.useFakeTimers()
    const { session, page } = setup()
    session.command('a1', 'Latency 300 ms', { type: 'set-latency', ms: 300 })
    session.command('a2', 'Fail next refresh', {
      type: 'fail-next-refresh',
      failure: { kind: 'slow', seconds: 2 },
    })
    const jobs = await page.request('/api/v1/jobs', oldToken)
    const refresh = await page.request('/api/v1/auth/refresh', oldToken, 'POST')
    await vi.advanceTimersByTimeAsync(299)
    expect(page.answer(jobs)).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(page.answer(jobs)!.method).toBe('Fetch.continueRequest')
    await vi.advanceTimersByTimeAsync(1_999)
    expect(page.answer(refresh)).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1)
    expect(page.answer(refresh)!.method).toBe('Fetch.continueRequest')
  })
})
