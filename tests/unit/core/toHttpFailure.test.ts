import { describe, expect, it } from 'vitest'
import { HttpFailure, toHttpFailure } from '../../../src/core'

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ'

describe('toHttpFailure', () => {
  it("reads ky's HTTPError: the method and path of its Request, the status of its Response", () => {
    const request = new Request(`https://api.test/auth/refresh?session=${TOKEN}`, {
      method: 'POST',
    })
    const response = new Response(null, { status: 401 })

    const failure = toHttpFailure({ name: 'HTTPError', message: 'Unauthorized', request, response })

    expect(failure).toMatchObject({ method: 'POST', path: '/auth/refresh', status: 401 })
  })

  it("reads the answer's URL where the request is a string (ofetch), and a thrown answer's own", () => {
    const ofetch = toHttpFailure({
      request: 'https://api.test/auth/refresh',
      response: { status: 503, url: 'https://api.test/auth/refresh?x=1' },
    })
    const thrown = toHttpFailure({ status: 502, url: 'https://api.test/auth/token?x=1' })

    expect(ofetch).toMatchObject({ path: '/auth/refresh', status: 503 })
    expect(thrown).toMatchObject({ path: '/auth/token', status: 502 })
  })

  it("names the path axios sent to: the baseURL's path joined with the request's", () => {
    const failure = toHttpFailure({
      config: { method: 'post', url: '/auth/refresh', baseURL: 'https://api.test/v1/' },
      response: { status: 500, data: { detail: 'Database unavailable' } },
    })

    expect(failure).toMatchObject({
      method: 'POST',
      path: '/v1/auth/refresh',
      status: 500,
      detail: 'Database unavailable',
    })
  })

  it('keeps no query of a URL that does not parse', () => {
    const failure = toHttpFailure({
      config: { method: 'get', url: `http://[api/me?token=${TOKEN}` },
    })

    expect(failure.path).toBe('http://[api/me')
    expect(JSON.stringify(failure)).not.toContain(TOKEN)
  })

  it('hands back an HttpFailure as it is', () => {
    const failure = new HttpFailure({ method: 'POST', path: '/auth/refresh', status: 503 })
    expect(toHttpFailure(failure)).toBe(failure)
  })
})
