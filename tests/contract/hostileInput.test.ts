import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { getMockState, resetMock } from '../../mocks/control'
import { startMockServer, type RunningMockServer } from '../../mocks/server'
import { forgeToken, jobForm } from './support/mockApi'
import { send, sendRaw, type RawAnswer } from './support/rawHttp'

const JSON_TYPE = { 'Content-Type': 'application/json' }
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']

let server: RunningMockServer

const post = (path: string, body: string, headers: Record<string, string> = JSON_TYPE) =>
  send(server.url, { method: 'POST', path, headers, body })

async function adminToken(): Promise<string> {
  const answer = await post(
    '/api/v1/auth/login',
    JSON.stringify({ email: 'admin@etl.local', password: 'admin123' }),
  )
  expect(answer.status).toBe(200)
  return answer.body.access_token as string
}

const me = (token: string) =>
  send(server.url, { path: '/api/v1/auth/me', headers: { Authorization: `Bearer ${token}` } })

function expectNoEcho(answer: RawAnswer, token: string, alg: string): void {
  const challenge = String(answer.headers['www-authenticate'])
  expect(challenge).toMatch(/^Bearer error="invalid_token"/)
  for (const part of [...token.split('.').filter(Boolean), alg]) {
    expect(challenge).not.toContain(part)
  }
  expect(answer.headers['x-injected']).toBeUndefined()
}

describe('the HTTP mock server under hostile input', () => {
  beforeAll(async () => {
    server = await startMockServer({ port: 0 })
  })
  afterAll(() => server.close())
  beforeEach(async () => {
    await resetMock()
  })

  describe('JWT headers a client forged', () => {
    it.each([
      ['a non-ASCII alg', { alg: '☃' }, '☃'],
      ['a CRLF in alg', { alg: 'HS256\r\nX-Injected: 1' }, 'X-Injected'],
      ['another alg', { alg: 'HS512' }, 'HS512'],
    ])(
      'answers 401 Invalid token for %s, echoing nothing into WWW-Authenticate',
      async (_, header, alg) => {
        const forged = forgeToken(await adminToken(), { header })
        const answer = await me(forged)
        expect(answer.status).toBe(401)
        expect(answer.body.detail).toMatch(/^Invalid token: /)
        expect(answer.body.detail).not.toContain(alg)
        expectNoEcho(answer, forged, alg)
      },
    )

    it.each([
      ['kid', { kid: 'a\r\nX-Injected: 1' }],
      ['typ', { typ: 'JWT\r\nX-Injected: 1' }],
      ['a field name', { 'x\r\nX-Injected': 1 }],
    ])('answers 401 Invalid token for a CRLF in %s', async (_, header) => {
      const forged = forgeToken(await adminToken(), { header })
      const answer = await me(forged)
      expect(answer.status).toBe(401)
      expect(answer.body.detail).toMatch(/^Invalid token: /)
      expectNoEcho(answer, forged, 'X-Injected')
    })
  })

  it('answers 400 to a request-target that is not a URL, and keeps serving', async () => {
    const answer = await sendRaw(
      server.port,
      'GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    )
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    expect(answer).toContain('"detail":"Bad request target')
    const health = await send(server.url, { path: '/api/v1/auth/health' })
    expect(health.status).toBe(200)
  })

  describe('names of Object.prototype as input', () => {
    it('answers a login as a prototype name like any unknown user: 401 Invalid credentials', async () => {
      const unknown = await post(
        '/api/v1/auth/login',
        JSON.stringify({ email: 'nobody@etl.local', password: 'whatever1' }),
      )
      expect(unknown.status).toBe(401)
      for (const email of PROTOTYPE_NAMES) {
        for (const field of ['email', 'username']) {
          const answer = await post(
            '/api/v1/auth/login',
            JSON.stringify({ [field]: email, password: 'whatever1' }),
          )
          expect({ email, field, status: answer.status, body: answer.body }).toEqual({
            email,
            field,
            status: 401,
            body: unknown.body,
          })
        }
      }
      // The state is intact: the real account still signs in.
      await adminToken()
    })

    it('answers a refresh or logout with a prototype name as the token like any unknown token', async () => {
      for (const token of PROTOTYPE_NAMES) {
        const refreshed = await post(
          '/api/v1/auth/refresh',
          JSON.stringify({ refresh_token: token }),
        )
        expect({ token, status: refreshed.status, detail: refreshed.body.detail }).toEqual({
          token,
          status: 401,
          detail: 'Invalid refresh token',
        })
        const loggedOut = await post(
          '/api/v1/auth/logout',
          JSON.stringify({ refresh_token: token }),
        )
        expect({ token, status: loggedOut.status }).toEqual({ token, status: 401 })
      }
    })

    it('refuses prototype names as config keys with 422 and the list of known keys', async () => {
      for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        // Written by hand: an object literal cannot hold an own "__proto__" key for JSON.stringify.
        const answer = await post('/__mock/config', `{"${key}": 5}`)
        expect({ key, status: answer.status }).toEqual({ key, status: 422 })
        expect(answer.body.errors).toEqual([
          {
            field: key,
            message: expect.stringMatching(/is not a config key \(known: access_ttl_seconds, /),
          },
        ])
      }
      const { config } = await getMockState()
      expect(Object.keys(config)).not.toContain('constructor')
      expect(Object.getPrototypeOf(config)).toBe(Object.prototype)
    })
  })

  describe('job ids', () => {
    let token: string
    beforeEach(async () => {
      token = await adminToken()
    })

    async function submit(overrides: Record<string, string>) {
      const response = await fetch(`${server.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        body: jobForm(overrides),
      })
      return { status: response.status, body: await response.json() }
    }

    it('refuses an unknown service_id with 422 naming the field and the ids it accepts', async () => {
      for (const id of ['michigan', '7', 'constructor']) {
        const answer = await submit({ service_id: id })
        expect(answer.status).toBe(422)
        expect(answer.body.errors).toEqual([
          { field: 'service_id', message: 'must be one of imputation, qc-only, phasing-only' },
        ])
        expect(answer.body.detail).toBe(
          'Validation failed: service_id: must be one of imputation, qc-only, phasing-only',
        )
      }
    })

    it('refuses an unknown reference_panel_id with 422 naming the field and the ids it accepts', async () => {
      for (const id of ['hrc', '2', '__proto__']) {
        const answer = await submit({ reference_panel_id: id })
        expect(answer.status).toBe(422)
        expect(answer.body.errors).toEqual([
          {
            field: 'reference_panel_id',
            message: 'must be one of 1000g-phase3, hrc-r1.1, topmed-r2',
          },
        ])
      }
    })

    it('accepts every service and panel id the app offers', async () => {
      for (const service_id of ['imputation', 'qc-only', 'phasing-only']) {
        for (const reference_panel_id of ['1000g-phase3', 'hrc-r1.1', 'topmed-r2']) {
          const answer = await submit({ service_id, reference_panel_id })
          expect({ service_id, reference_panel_id, status: answer.status }).toEqual({
            service_id,
            reference_panel_id,
            status: 201,
          })
        }
      }
    })
  })
})
