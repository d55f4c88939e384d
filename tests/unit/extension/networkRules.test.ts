import { describe, expect, it } from 'vitest'
import {
  decideRequest,
  emptyRules,
  expiredResponse,
  isRefreshCall,
  isSignIn,
  matchesPattern,
  urlKey,
  type NetworkRules,
} from '../../../src/extension/networkRules'

const rules = (change: Partial<NetworkRules> = {}): NetworkRules => ({ ...emptyRules(), ...change })
const API = 'https://api.example.test'

describe('networkRules', () => {
  it('recognises the usual refresh endpoints, and not a sign-in', () => {
    expect(isRefreshCall(`${API}/api/v1/auth/refresh`, rules())).toBe(true)
    expect(isRefreshCall(`${API}/oauth/token`, rules())).toBe(true)
    expect(isRefreshCall(`${API}/auth/token/refresh?x=1`, rules())).toBe(true)
    expect(isRefreshCall(`${API}/api/v1/jobs`, rules())).toBe(false)
    expect(isRefreshCall(`${API}/api/v1/auth/login`, rules())).toBe(false)
    expect(isSignIn(`${API}/api/v1/auth/login`)).toBe(true)
  })

  it('learns a refresh call from its answer, and lets the tester name it by a pattern instead', () => {
    const learned = rules({ learned: new Set([`${API}/session/renew`]) })
    expect(isRefreshCall(`${API}/session/renew?t=1`, learned)).toBe(true)
    const named = rules({ refreshPattern: '*/session/renew*' })
    expect(isRefreshCall(`${API}/session/renew`, named)).toBe(true)
    // A pattern set is the whole rule: the usual names no longer count.
    expect(isRefreshCall(`${API}/api/v1/auth/refresh`, named)).toBe(false)
    expect(matchesPattern(`${API}/a/renew`, 'renew')).toBe(true)
    expect(matchesPattern(`${API}/a/renew`, 'https://*.test/a/*')).toBe(true)
    expect(matchesPattern(`${API}/a/renew`, 'http://*')).toBe(false)
  })

  it('answers 401 to a request bearing the expired token only, never to the refresh call', () => {
    const expired = rules({ expired: 'fp-old' })
    expect(decideRequest({ url: `${API}/api/v1/jobs`, bearer: 'fp-old' }, expired).type).toBe(
      'expired',
    )
    expect(decideRequest({ url: `${API}/api/v1/jobs`, bearer: 'fp-new' }, expired).type).toBe(
      'continue',
    )
    expect(decideRequest({ url: `${API}/api/v1/jobs`, bearer: null }, expired).type).toBe(
      'continue',
    )
    // Seed 003's refresh sends the expired token itself as Bearer.
    expect(
      decideRequest({ url: `${API}/api/v1/auth/refresh`, bearer: 'fp-old' }, expired).type,
    ).toBe('continue')
  })

  it('fails the refresh call as armed, and adds the latency to every request', () => {
    const armed = rules({ failNextRefresh: { kind: 500 }, latencyMs: 250 })
    expect(decideRequest({ url: `${API}/api/v1/auth/refresh`, bearer: null }, armed)).toEqual({
      type: 'fail-refresh',
      failure: { kind: 500 },
      delayMs: 250,
    })
    expect(decideRequest({ url: `${API}/api/v1/jobs`, bearer: null }, armed)).toEqual({
      type: 'continue',
      delayMs: 250,
    })
  })

  it('answers an expired token as the contract does, readable by a cross-origin page', () => {
    const answer = expiredResponse('http://127.0.0.1:5173')
    expect(answer.status).toBe(401)
    expect(JSON.parse(answer.body)).toEqual({ detail: 'Token expired' })
    const headers = Object.fromEntries(answer.headers.map(({ name, value }) => [name, value]))
    expect(headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"')
    expect(headers['Access-Control-Allow-Origin']).toBe('http://127.0.0.1:5173')
    expect(urlKey(`${API}/a?token=secret#x`)).toBe(`${API}/a`)
  })
})
