import { describe, expect, it } from 'vitest'
import { advance, createHarness, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

/** A small seeded generator, so that a failing run can be replayed. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HOURS_8 = 8 * 3600_000

async function workDay(
  options: { refreshMarginSeconds?: number; tickSeconds?: number },
  seed: number,
) {
  installFakeClock()
  const random = mulberry32(seed)
  const harness = createHarness({ session: options })
  harness.session.start()
  let failures = 0
  let requests = 0
  for (let elapsed = 0; elapsed < HOURS_8;) {
    const gap = Math.floor(random() * 90_000)
    await advance(gap, 2_000)
    elapsed += gap
    const burst = 1 + Math.floor(random() * 5)
    const results = await Promise.allSettled(
      Array.from({ length: burst }, () => harness.client.get('/api/v1/data')),
    )
    requests += burst
    failures += results.filter((result) => result.status === 'rejected').length
  }
  return { ...harness, failures, requests }
}

describe('an 8-hour working day with 5-minute tokens and random traffic', () => {
  it('fails no request and refreshes once per token, at 60 s before its expiry', async () => {
    const { server, failures, requests, session } = await workDay({}, 2026)

    expect(requests).toBeGreaterThan(1000)
    expect(failures).toBe(0)
    expect(server.state.counters.unauthorized).toBe(0)
    // Each token serves its 300 s less the 60 s margin (and the second the kit keeps in hand),
    // so 8 hours need 28 800 / 239 = 120 refreshes at the least.
    expect(
      Math.abs(server.state.counters.refreshes - Math.floor(HOURS_8 / 239_000)),
    ).toBeLessThanOrEqual(1)
    expect(session.getState().status).toBe('authenticated')
  }, 60_000)

  it('with a 1 s margin, refreshes within one of the bare minimum of 8 h / 300 s', async () => {
    const { server, failures } = await workDay({ refreshMarginSeconds: 1, tickSeconds: 1 }, 7)
    expect(failures).toBe(0)
    expect(server.state.counters.unauthorized).toBe(0)
    const minimum = Math.ceil(HOURS_8 / 300_000) - 1
    expect(server.state.counters.refreshes - minimum).toBeLessThanOrEqual(1)
  }, 60_000)
})
