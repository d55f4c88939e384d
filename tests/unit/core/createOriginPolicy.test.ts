import { afterEach, describe, expect, it, vi } from 'vitest'
import { InvalidOptionError } from '../../../src/core'
import { createOriginPolicy } from '../../../src/core/createOriginPolicy'

const BASE = 'https://api.example.com/v1'

afterEach(() => vi.unstubAllGlobals())

describe('createOriginPolicy', () => {
  it('allows the origin of the base URL and nothing else by default', () => {
    const allows = createOriginPolicy()

    expect(allows('https://api.example.com/v1/jobs', BASE)).toBe(true)
    expect(allows('https://api.example.com/other?x=1#y', BASE)).toBe(true)
    expect(allows('https://other.example/x', BASE)).toBe(false)
    expect(allows('https://api.example.com.evil.test/x', BASE)).toBe(false)
    expect(allows('https://api.example.com@evil.test/x', BASE)).toBe(false)
    // Naming the API's origin in the query does not send a request there.
    expect(allows('https://evil.test/?ref=/https://api.example.com', BASE)).toBe(false)
  })

  it('treats another port or scheme as another origin, and the host’s case and default port as the same', () => {
    const allows = createOriginPolicy()

    expect(allows('https://api.example.com:8443/x', BASE)).toBe(false)
    expect(allows('http://api.example.com/x', BASE)).toBe(false)
    expect(allows('wss://api.example.com/x', BASE)).toBe(false)
    expect(allows('HTTPS://API.Example.COM/x', BASE)).toBe(true)
    expect(allows('https://api.example.com:443/x', BASE)).toBe(true)
  })

  it('resolves relative and protocol-relative URLs against the page', () => {
    vi.stubGlobal('location', new URL('https://app.example/jobs/42'))
    const allows = createOriginPolicy()

    expect(allows('/api/v1/jobs')).toBe(true)
    expect(allows('jobs')).toBe(true)
    expect(allows('https://app.example/api')).toBe(true)
    expect(allows('//app.example/api')).toBe(true)
    expect(allows('//other.example/api')).toBe(false)
    expect(allows('https://api.example.com/x')).toBe(false)
    // A relative base URL is the page's origin too.
    expect(allows('/api/x', '/api')).toBe(true)
    expect(allows('https://api.example.com/x', '/api')).toBe(false)
    // A base URL on another origin than the page's is the one allowed (the app's VITE_API_URL).
    expect(allows('https://api.example.com/x', BASE)).toBe(true)
    expect(allows('/api/x', BASE)).toBe(false)
  })

  it('allows relative URLs without a page (Node), but not protocol-relative ones', () => {
    vi.stubGlobal('location', undefined)
    const allows = createOriginPolicy()

    expect(allows('/api/v1/jobs')).toBe(true)
    expect(allows('/api/v1/jobs', '')).toBe(true)
    expect(allows('//other.example/x')).toBe(false)
    expect(allows(' \t//other.example/x')).toBe(false)
    expect(allows('relative:x')).toBe(false)
    expect(allows('relative:/x')).toBe(false)
    // A colon or a double slash further on leaves a URL relative.
    expect(allows('/api/v1/jobs:batchGet')).toBe(true)
    expect(allows('/api/v1//jobs')).toBe(true)
    expect(allows('https://other.example/x')).toBe(false)
  })

  it('adds origins given as strings, RegExps tested against the origin, and predicates', () => {
    const allows = createOriginPolicy([
      'https://files.example.com',
      'HTTPS://Upload.Example.com:443/',
      /^https:\/\/[a-z]+\.tenant\.example$/g,
      (origin) => origin === 'http://localhost:8787',
    ])

    expect(allows('https://files.example.com/a', BASE)).toBe(true)
    expect(allows('https://upload.example.com/a', BASE)).toBe(true)
    expect(allows('http://files.example.com/a', BASE)).toBe(false)
    // A global RegExp answers the same every time (its lastIndex is not carried over).
    expect([1, 2, 3].map(() => allows('https://acme.tenant.example/x', BASE))).toEqual([
      true,
      true,
      true,
    ])
    expect(allows('https://acme.tenant.example.evil.test/x', BASE)).toBe(false)
    expect(allows('http://localhost:8787/x', BASE)).toBe(true)
    expect(allows('http://localhost:8788/x', BASE)).toBe(false)
  })

  it('never asks its rules about a URL that has no origin, or a relative one without a page', () => {
    vi.stubGlobal('location', undefined)
    const rule = vi.fn(() => true)
    const allows = createOriginPolicy([rule, /./])

    expect(allows('data:text/plain,hi', BASE)).toBe(false)
    expect(allows('/api/v1/jobs', BASE)).toBe(false)
    expect(rule).not.toHaveBeenCalled()
  })

  it('takes a single rule as well as a list', () => {
    expect(createOriginPolicy('https://files.example.com')('https://files.example.com/a')).toBe(
      true,
    )
    const predicate = vi.fn((origin: string) => origin.endsWith('.example.org'))
    expect(createOriginPolicy(predicate)('https://a.example.org/path?q=1')).toBe(true)
    expect(predicate).toHaveBeenCalledWith('https://a.example.org')
  })

  it.each([
    'files.example.com',
    'https://files.example.com/api',
    'https://files.example.com?x=1',
    'https://*.example.com',
    '*',
    'https://user@files.example.com',
    'file:///etc',
    'file://host',
    'https://[::1',
    '',
  ])('rejects %j, which is not an origin, with InvalidOptionError', (rule) => {
    const attempt = () => createOriginPolicy([rule])

    expect(attempt).toThrow(InvalidOptionError)
    expect(attempt).toThrow(
      `allowedOrigins: ${JSON.stringify(rule)} is not an origin. Write it as scheme://host[:port], e.g. "https://api.example.com", with no path; pass a RegExp or a function for a pattern of origins.`,
    )
  })
})
