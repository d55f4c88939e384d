import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { getMockState, resetMock } from '../../mocks/control'
import { startMockServer, type RunningMockServer } from '../../mocks/server'
import { send } from './support/rawHttp'

const JSON_TYPE = { 'Content-Type': 'application/json' }

let server: RunningMockServer

const control = (path: string, headers: Record<string, string>, body?: string) =>
  send(server.url, { method: body === undefined ? 'GET' : 'POST', path, headers, body })

/** Something a reset would undo: one sign-in in the counters. */
async function signInOnce(): Promise<void> {
  const answer = await send(server.url, {
    method: 'POST',
    path: '/api/v1/auth/login',
    headers: JSON_TYPE,
    body: JSON.stringify({ email: 'admin@etl.local', password: 'admin123' }),
  })
  expect(answer.status).toBe(200)
}

describe('the control API (/__mock) on the HTTP server', () => {
  beforeAll(async () => {
    server = await startMockServer({ port: 0 })
  })
  afterAll(() => server.close())
  beforeEach(async () => {
    await resetMock()
  })

  describe('who may call it', () => {
    it('refuses a reset from a cross-site Origin with 403 and keeps the state', async () => {
      await signInOnce()
      for (const headers of [
        { Origin: 'https://evil.example' },
        { Origin: 'https://evil.example', ...JSON_TYPE },
      ]) {
        const answer = await control('/__mock/reset', headers, '')
        expect(answer.status).toBe(403)
        expect(answer.body.detail).toMatch(/origin https:\/\/evil\.example is not allowed/)
      }
      expect((await getMockState()).counters.logins).toBe(1)
    })

    it.each([
      'https://evil.example',
      'http://localhost.evil.example',
      'http://127.0.0.1.evil.example:8787',
      'null',
      'http://192.168.1.20:5173',
    ])('refuses Origin %s on every control route', async (origin) => {
      const headers = { Origin: origin, ...JSON_TYPE }
      expect((await control('/__mock/state', { Origin: origin })).status).toBe(403)
      expect((await control('/__mock/config', headers, '{"latency_ms":1}')).status).toBe(403)
      expect((await control('/__mock/scenario', headers, '{"revoke_sessions":true}')).status).toBe(
        403,
      )
      expect((await getMockState()).config.latency_ms).toBe(0)
    })

    it('refuses a foreign Host header with 403 (DNS rebinding), even without an Origin', async () => {
      await signInOnce()
      for (const host of ['evil.example', 'evil.example:8787', 'localhost.evil.example']) {
        const state = await control('/__mock/state', { Host: host })
        expect(state.status).toBe(403)
        expect(state.body.detail).toMatch(/Host .* is not allowed/)
        expect((await control('/__mock/reset', { Host: host, ...JSON_TYPE }, '')).status).toBe(403)
      }
      expect((await getMockState()).counters.logins).toBe(1)
    })

    it.each([
      ['no Origin (curl)', {}],
      ['a localhost Origin', { Origin: 'http://localhost:5173' }],
      ['a 127.0.0.1 Origin', { Origin: 'http://127.0.0.1:4173' }],
      ['an [::1] Origin', { Origin: 'http://[::1]:8080' }],
      ['an https localhost Origin', { Origin: 'https://localhost' }],
      ['an extension Origin', { Origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' }],
      ['a localhost Host', { Host: 'localhost:8787' }],
      ['an [::1] Host', { Host: '[::1]:8787' }],
      ['a 127.0.0.1 Host without port', { Host: '127.0.0.1' }],
    ])('serves %s', async (_, headers: Record<string, string>) => {
      expect((await control('/__mock/state', headers)).status).toBe(200)
      const configured = await control(
        '/__mock/config',
        { ...headers, ...JSON_TYPE },
        '{"latency_ms":1}',
      )
      expect(configured.status).toBe(200)
      expect(configured.body.config.latency_ms).toBe(1)
      expect((await control('/__mock/reset', { ...headers, ...JSON_TYPE }, '')).status).toBe(200)
    })
  })

  describe('what a POST must declare', () => {
    it('refuses a POST without Content-Type: application/json, even an empty one, with 415', async () => {
      await signInOnce()
      for (const [path, headers, body] of [
        ['/__mock/reset', {}, ''],
        ['/__mock/reset', { 'Content-Type': 'text/plain' }, '{}'],
        ['/__mock/config', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'a=1'],
        ['/__mock/scenario', {}, ''],
      ] as const) {
        const answer = await control(path, headers, body)
        expect({ path, status: answer.status }).toEqual({ path, status: 415 })
        expect(answer.body.detail).toMatch(/send Content-Type: application\/json/)
      }
      expect((await getMockState()).counters.logins).toBe(1)
    })

    it('takes an empty JSON POST as no arguments', async () => {
      await signInOnce()
      const answer = await control('/__mock/reset', JSON_TYPE, '')
      expect(answer.status).toBe(200)
      expect(answer.body.counters.logins).toBe(0)
    })
  })
})
