import { describe, expect, it } from 'vitest'
import { summarizeTraffic, type TrafficEntry } from '../../../src/extension/summarizeTraffic'

const entry = (change: Partial<TrafficEntry>): TrafficEntry => ({
  method: 'GET',
  url: 'http://api.test/api/v1/jobs',
  refresh: false,
  retry: false,
  status: 200,
  ...change,
})
const times = (count: number, value: TrafficEntry) => Array.from({ length: count }, () => value)

describe('summarizeTraffic', () => {
  it('says what a single-flight app did after an expiry', () => {
    const traffic = [
      ...times(3, entry({ status: 401 })),
      entry({ refresh: true, method: 'POST', url: 'http://api.test/auth/refresh' }),
      ...times(3, entry({ retry: true })),
    ]
    expect(summarizeTraffic(traffic)).toBe('3 requests answered 401 -> 1 refresh -> 3 retried, 200')
  })

  it('shows the refresh storm of an app without single flight', () => {
    const traffic = [
      ...times(5, entry({ status: 401 })),
      ...times(5, entry({ refresh: true })),
      ...times(5, entry({ retry: true })),
    ]
    expect(summarizeTraffic(traffic)).toBe(
      '5 requests answered 401 -> 5 refreshes -> 5 retried, 200',
    )
  })

  it('names the failed refreshes and the requests still in flight', () => {
    const traffic = [
      entry({ status: 401 }),
      entry({ refresh: true, status: 500 }),
      entry({ refresh: true, status: 'network' }),
      entry({ refresh: true, status: 200 }),
      entry({ retry: true, status: null }),
    ]
    expect(summarizeTraffic(traffic)).toBe(
      '1 request answered 401 -> 3 refreshes, 500, network error, 200 -> 1 retried, pending',
    )
  })

  it('says nothing before the page acts, and counts other requests apart', () => {
    expect(summarizeTraffic([])).toBeNull()
    expect(summarizeTraffic([entry({ status: null })])).toBeNull()
    expect(summarizeTraffic([entry({}), entry({})])).toBe('2 other requests, 200')
  })
})
