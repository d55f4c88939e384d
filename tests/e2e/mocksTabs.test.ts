import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { mockControl } from './support/app'
import { startBusyLoops } from './support/busyLoops'
import { counters, openTabBrowser, type TabBrowser } from './support/tabs'

const TABS = 4
const ROTATIONS = 100
const CPU_THROTTLING = 2
/** Each tab's work stops here at the latest, finished or not (the test then fails on counts). */
const HAMMER_SECONDS = 150

let browser: TabBrowser | undefined
let stopBusyLoops: (() => void) | undefined

afterEach(async () => {
  stopBusyLoops?.()
  stopBusyLoops = undefined
  await browser?.close()
  browser = undefined
})

interface Tally {
  logins: number
  refreshes: number
  others: number
  failures: string[]
}

/**
 * Run inside a tab: signs in a session of its own, rotates its refresh token `rotations` times
 * in a row, and meanwhile sends `/me` and `/health` one after the other, each bumping a counter.
 */
async function hammer({ rotations, seconds }: { rotations: number; seconds: number }) {
  const until = Date.now() + seconds * 1000
  const tally: Tally = { logins: 0, refreshes: 0, others: 0, failures: [] }
  const post = (path: string, body: unknown) =>
    fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const failed = async (what: string, response: Response) => {
    const detail = ((await response.json().catch(() => ({}))) as { detail?: string }).detail
    tally.failures.push(`${what}: ${response.status} ${detail ?? ''}`)
  }

  tally.logins++
  const login = await post('/api/v1/auth/login', {
    email: 'admin@etl.local',
    password: 'admin123',
  })
  if (!login.ok) {
    await failed('login', login)
    return tally
  }
  let { access_token: access, refresh_token: refresh } = (await login.json()) as {
    access_token: string
    refresh_token: string
  }
  let rotating = true
  const beside = (async () => {
    for (let i = 0; rotating && Date.now() < until; i++) {
      tally.others++
      const answer = await (i % 2 === 0
        ? fetch('/api/v1/auth/me', { headers: { authorization: `Bearer ${access}` } })
        : fetch('/api/v1/auth/health'))
      if (!answer.ok) await failed(new URL(answer.url).pathname, answer)
    }
  })()
  for (let i = 0; i < rotations && Date.now() < until; i++) {
    tally.refreshes++
    const answer = await post('/api/v1/auth/refresh', { refresh_token: refresh })
    if (!answer.ok) {
      await failed(`rotation ${i + 1}`, answer)
      break
    }
    ;({ access_token: access, refresh_token: refresh } = (await answer.json()) as {
      access_token: string
      refresh_token: string
    })
  }
  rotating = false
  await beside
  return tally
}

async function throttle(page: Page, rate: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate })
}

/** Counts the `/api` requests the tabs send, whoever sends them (the app included). */
function countApiRequests(pages: Page[]) {
  let sent = 0
  for (const page of pages) {
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) sent++
    })
  }
  return () => sent
}

describe('the mocks shared by the tabs of a browser', () => {
  it(`keeps exact counts and every rotated token with ${TABS} tabs hammering it on a busy CPU`, async () => {
    browser = await openTabBrowser()
    const tabs: Page[] = []
    for (let i = 0; i < TABS; i++) tabs.push(await browser.openTab('/login'))
    await mockControl(tabs[0]!).reset()
    stopBusyLoops = startBusyLoops(2)
    for (const tab of tabs) await throttle(tab, CPU_THROTTLING)
    const sent = countApiRequests(tabs)
    const before = await counters(tabs[0]!)
    const startedAt = Date.now()

    const tallies = await Promise.all(
      tabs.map((tab) => tab.evaluate(hammer, { rotations: ROTATIONS, seconds: HAMMER_SECONDS })),
    )

    const seconds = (Date.now() - startedAt) / 1000
    const after = await counters(tabs[0]!)
    const ours = tallies.reduce((sum, t) => sum + t.logins + t.refreshes + t.others, 0)
    console.info(
      `[mocks tabs] ${TABS} tabs at ${CPU_THROTTLING}x CPU throttling beside 2 busy loops: ` +
        `${ours} requests (${TABS * ROTATIONS} rotations) in ${seconds.toFixed(1)} s, ` +
        `${(ours / seconds).toFixed(0)} requests/s; server counted ${after.requests - before.requests} ` +
        `requests, ${after.refreshes - before.refreshes} refreshes, ${after.refreshes_rejected} rejected, ` +
        `${after.reuse_detected} reuse`,
    )

    expect(tallies.flatMap((t) => t.failures)).toEqual([])
    expect(tallies.map((t) => t.refreshes)).toEqual(Array(TABS).fill(ROTATIONS))
    expect(sent()).toBe(ours)
    expect(after.requests - before.requests).toBe(ours)
    expect(after.logins - before.logins).toBe(TABS)
    expect(after.refreshes - before.refreshes).toBe(TABS * ROTATIONS)
    expect(after.refreshes_rejected).toBe(0)
    expect(after.reuse_detected).toBe(0)
    expect(after.unauthorized).toBe(0)
  })

  it('answers requests side by side while a latency is configured: tabs do not queue behind it', async () => {
    browser = await openTabBrowser()
    const tabs = [await browser.openTab('/login'), await browser.openTab('/login')]
    await mockControl(tabs[0]!).reset()
    await mockControl(tabs[0]!).config({ latency_ms: 1_000 })

    const elapsed = await Promise.all(
      tabs.map((tab) =>
        tab.evaluate(async () => {
          const startedAt = performance.now()
          const answers = await Promise.all(
            Array.from({ length: 5 }, () => fetch('/api/v1/auth/health')),
          )
          if (answers.some((answer) => !answer.ok)) throw new Error('a /health request failed')
          return performance.now() - startedAt
        }),
      ),
    )

    // Ten requests of 1 s each: one after the other they would take 10 s.
    for (const ms of elapsed) expect(ms).toBeLessThan(3_000)
    expect((await counters(tabs[1]!)).requests).toBe(10)
  })

  it('keeps the state across a reload, in IndexedDB, and drops the old localStorage copy', async () => {
    browser = await openTabBrowser()
    const tab = await browser.openTab('/login')
    await mockControl(tab).reset()
    await mockControl(tab).config({ access_ttl_seconds: 42 })
    await tab.evaluate(() => localStorage.setItem('trk-mock-db', '{"version":2}'))

    await tab.reload()
    // The app renders once its mock worker has started (openTab waits the same way).
    await tab.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0)

    expect((await mockControl(tab).state()).config.access_ttl_seconds).toBe(42)
    expect(await tab.evaluate(() => localStorage.getItem('trk-mock-db'))).toBeNull()
  })
})
