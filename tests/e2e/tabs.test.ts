import type { Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { fillJobForm, mockControl, signIn } from './support/app'
import { startBusyLoops } from './support/busyLoops'
import {
  REFRESH_LOCK,
  counters,
  freezeTab,
  openTabBrowser,
  recordSignOuts,
  screenOf,
  shownErrors,
  storedRefreshToken,
  waitUntil,
  watchTraffic,
  type TabBrowser,
} from './support/tabs'

const TTL_SECONDS = 10
const SOAK_SECONDS = 120
const NAV = ['Pipelines', 'Jobs', 'Queue', 'Session'] as const
const PATHS = ['/jobs', '/queue', '/pipelines', '/jobs']

// The engine counts a token expired a second early (`exp` and `iat` are whole seconds) and
// refreshes it once under a third of its life is left, so a 10 s token is refreshed no sooner
// than 10 - 1 - 10/3 = 5.67 s after it arrived. One refresh per token, for all tabs together,
// therefore allows at most floor(T / 5.67) + 1 refreshes in T seconds; a tab that refreshed
// on its own, or twice, would push the count over.
const EARLIEST_REFRESH_S = TTL_SECONDS - 1 - TTL_SECONDS / 3
const refreshBound = (seconds: number) => Math.floor(seconds / EARLIEST_REFRESH_S) + 1

let browser: TabBrowser | undefined

afterEach(async () => {
  await browser?.close()
  browser = undefined
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const navLink = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true })

/** Fresh mocks with `TTL_SECONDS` tokens and strict reuse detection; one tab signs in. */
async function signInFirstTab(config: Record<string, number> = {}): Promise<Page> {
  browser = await openTabBrowser()
  const first = await browser.openTab('/login')
  const mock = mockControl(first)
  await mock.reset()
  await mock.config({ access_ttl_seconds: TTL_SECONDS, reuse_grace_seconds: 0, ...config })
  await signIn(first)
  return first
}

/** One signed-in tab, then `PATHS.length` more that pick the session up from it. */
async function fiveSignedInTabs(config: Record<string, number> = {}): Promise<Page[]> {
  const first = await signInFirstTab(config)
  const tabs = [first]
  for (const path of PATHS) tabs.push(await browser!.openTab(path))
  for (const tab of tabs) await tab.getByRole('button', { name: 'Sign out' }).waitFor()
  return tabs
}

/** A job that stays running, so every Jobs and Queue page polls the API each second. */
async function submitLongJob(page: Page): Promise<void> {
  await navLink(page, 'Jobs').click()
  await fillJobForm(page, 'Soak chr20')
  await page.getByRole('button', { name: 'Submit job' }).click()
  await page.getByText('Job “Soak chr20” submitted').waitFor()
}

async function expectEveryTabSignedIn(tabs: Page[]): Promise<void> {
  for (const tab of tabs) {
    expect(await screenOf(tab)).toBe('signed-in')
    expect(await shownErrors(tab)).toEqual([])
  }
}

/** Clicks through the main navigation, one tab after another, for `seconds`. */
async function clickAround(tabs: Page[], seconds: number): Promise<number> {
  const until = Date.now() + seconds * 1000
  let clicks = 0
  while (Date.now() < until) {
    const tab = tabs[clicks % tabs.length]!
    const name = NAV[Math.floor(clicks / tabs.length) % NAV.length]!
    await navLink(tab, name).click({ timeout: 10_000 })
    clicks++
    await sleep(400)
  }
  return clicks
}

describe('one session across the tabs of a browser', () => {
  it('keeps five busy tabs signed in for two minutes of 10 s tokens with one refresh per token, on a busy CPU', async () => {
    const tabs = await fiveSignedInTabs({ job_run_seconds: 3_600 })
    await submitLongJob(tabs[0]!)
    const traffic = watchTraffic(tabs)
    const signOuts = await Promise.all(tabs.map(recordSignOuts))
    const before = await counters(tabs[0]!)
    const startedAt = Date.now()

    // Two busy loops on the machine's two cores: a loaded machine is where tabs have raced
    // (a tab's write reaching another after it had taken the lock and read).
    const stopBusy = startBusyLoops(2)
    let clicks: number
    try {
      clicks = await clickAround(tabs, SOAK_SECONDS)
    } finally {
      stopBusy()
    }

    const after = await counters(tabs[0]!)
    const elapsed = (Date.now() - startedAt) / 1000
    traffic.stop()
    const refreshes = after.refreshes - before.refreshes
    console.info(
      `[tabs soak] ${elapsed.toFixed(0)} s, ${clicks} clicks, API answers OK per tab ` +
        `${traffic.log.ok.join('/')}, ` +
        `${refreshes} refreshes (bound ${refreshBound(elapsed)}), ` +
        `${traffic.log.unauthorized.length} 401s, ${traffic.log.aborted.length} aborted by navigation`,
    )

    expect(after.reuse_detected).toBe(0)
    expect(after.refreshes_rejected).toBe(0)
    expect(after.logins).toBe(1)
    expect(traffic.log.failures).toEqual([])
    for (const seen of signOuts) expect(await seen()).toEqual([])
    await expectEveryTabSignedIn(tabs)
    // Each refresh spent a different refresh token: none was sent twice.
    expect(new Set(traffic.log.refreshBodies).size).toBe(traffic.log.refreshBodies.length)
    expect(refreshes).toBeLessThanOrEqual(refreshBound(elapsed))
    // Tokens were really renewed all along: at least one refresh per lifetime.
    expect(refreshes).toBeGreaterThanOrEqual(Math.floor(elapsed / TTL_SECONDS))
    // Traffic in every tab all along: at least an answer every few seconds in each.
    for (const answers of traffic.log.ok) expect(answers).toBeGreaterThan(elapsed / 5)
  })

  it('makes one refresh for tabs that were frozen past the expiry and all wake at once', async () => {
    const tabs = await fiveSignedInTabs()
    const traffic = watchTraffic(tabs)
    // Freeze right after a refresh, so that the next one is seconds away and none slips in.
    const start = (await counters(tabs[0]!)).refreshes
    await waitUntil(async () => (await counters(tabs[0]!)).refreshes > start, {
      what: 'a refresh',
    })
    const spent = await storedRefreshToken(tabs[0]!)
    const thaws = await Promise.all(tabs.map(freezeTab))
    const sentBeforeFreeze = traffic.log.refreshBodies.length
    // Past the token's expiry: it arrived at most a second before the freeze.
    await sleep((TTL_SECONDS + 4) * 1000)
    expect(traffic.log.refreshBodies.length).toBe(sentBeforeFreeze)

    await Promise.all(thaws.map((thaw) => thaw()))
    await waitUntil(() => traffic.log.refreshBodies.length > sentBeforeFreeze, {
      what: 'the refresh after the wake-up',
    })
    // Every tab's next request goes through with the new token.
    for (const tab of tabs) {
      const answer = tab.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/jobs')
      await navLink(tab, new URL(tab.url()).pathname === '/queue' ? 'Jobs' : 'Queue').click()
      expect((await answer).status()).toBe(200)
    }
    traffic.stop()

    const spentIt = traffic.log.refreshBodies.filter(
      (body) => spent !== null && body.includes(spent),
    )
    expect(spentIt).toHaveLength(1)
    const after = await counters(tabs[0]!)
    expect(after.reuse_detected).toBe(0)
    expect(after.refreshes_rejected).toBe(0)
    expect(traffic.log.failures).toEqual([])
    await expectEveryTabSignedIn(tabs)
  })

  it('goes on refreshing while a frozen tab holds the refresh lock, and after it is killed', async () => {
    const tabs = await fiveSignedInTabs({ job_run_seconds: 3_600 })
    await submitLongJob(tabs[0]!)
    const holder = tabs[4]!
    const others = tabs.slice(0, 4)
    await holder.evaluate((name) => {
      void navigator.locks.request(name, () => new Promise(() => {}))
    }, REFRESH_LOCK)
    const held = await others[0]!.evaluate(async (name) => {
      const { held } = await navigator.locks.query()
      return held?.some((lock) => lock.name === name) ?? false
    }, REFRESH_LOCK)
    expect(held).toBe(true)
    const traffic = watchTraffic(others)
    const signOuts = await Promise.all(others.map(recordSignOuts))

    // The first refresh waits out the 10 s lock timeout; later ones take the next lock at once.
    // A reuse or a rejection ends the wait early: the assertions below then say which.
    const refreshedTo = async (target: number) => {
      const now = await counters(others[0]!)
      return now.refreshes >= target || now.reuse_detected > 0 || now.refreshes_rejected > 0
    }
    const start = (await counters(others[0]!)).refreshes
    await waitUntil(() => refreshedTo(start + 3), {
      timeout: 60_000,
      interval: 1_000,
      what: 'three refreshes past the held lock',
    })
    // Killed: the renderer crashes, which releases its locks (the CDP call itself never answers).
    const cdp = await holder.context().newCDPSession(holder)
    const crashed = holder.waitForEvent('crash', { timeout: 10_000 })
    void cdp.send('Page.crash').catch(() => undefined)
    await crashed
    await holder.close()
    const afterKill = (await counters(others[0]!)).refreshes
    await waitUntil(() => refreshedTo(afterKill + 2), {
      timeout: 40_000,
      interval: 1_000,
      what: 'two refreshes after the holder was killed',
    })
    traffic.stop()

    const after = await counters(others[0]!)
    console.info(
      `[tabs lock] ${afterKill - start} refreshes with the lock held, ` +
        `${after.refreshes - afterKill} after the kill, ${traffic.log.unauthorized.length} 401s, ` +
        `API answers OK per tab ${traffic.log.ok.join('/')}`,
    )
    expect(after.reuse_detected).toBe(0)
    expect(after.refreshes_rejected).toBe(0)
    expect(traffic.log.failures).toEqual([])
    for (const seen of signOuts) expect(await seen()).toEqual([])
    await expectEveryTabSignedIn(others)
  })

  it('shows the sign-in page in every tab within a second of signing out in one', async () => {
    const tabs = await fiveSignedInTabs()
    // Each tab notes, on its own clock, when it first shows the sign-in form.
    const shown = tabs.map((tab) =>
      tab.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const timer = setInterval(() => {
              if (location.pathname === '/login' && document.querySelector('input[type=email]')) {
                clearInterval(timer)
                resolve(Date.now())
              }
            }, 10)
          }),
      ),
    )
    const clickedAt = tabs[2]!.evaluate(
      () =>
        new Promise<number>((resolve) =>
          document.addEventListener('click', () => resolve(Date.now()), {
            capture: true,
            once: true,
          }),
        ),
    )
    await tabs[2]!.getByRole('button', { name: 'Sign out' }).click()
    const shownAt = await Promise.all(shown)
    const clicked = await clickedAt
    const ms = shownAt.map((at) => at - clicked)
    console.info(`[tabs sign-out] sign-in page shown after ${ms.join(', ')} ms`)

    for (const tab of tabs) {
      expect(await screenOf(tab)).toBe('sign-in page')
      await tab.getByRole('button', { name: 'Sign in' }).waitFor()
    }
    for (const delay of ms) expect(delay).toBeLessThanOrEqual(1_000)
  })

  it('signs every tab in when one signs in', async () => {
    browser = await openTabBrowser()
    const tabs = [await browser.openTab('/login')]
    await mockControl(tabs[0]!).reset()
    for (let i = 1; i < 5; i++) tabs.push(await browser.openTab('/login'))
    for (const tab of tabs) expect(await screenOf(tab)).toBe('sign-in page')

    await signIn(tabs[3]!)

    for (const tab of tabs) {
      await tab.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 10_000 })
      expect(await screenOf(tab)).toBe('signed-in')
    }
    expect((await counters(tabs[0]!)).logins).toBe(1)
  })
})
