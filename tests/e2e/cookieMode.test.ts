import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configureMock, getMockState, resetMock } from '../../mocks/control'
import { db } from '../../mocks/db'
import { REFRESH_COOKIE } from '../../mocks/refreshCookie'
import { ADMIN, signIn } from './support/app'
import { startBusyLoops } from './support/busyLoops'
import type { LaunchedChromium } from './support/chromium'
import { clearSite, clearStorage } from './support/clearSite'
import type { StaticServer } from './support/serveStatic'
import { startAppOnMockServer, type AppOnMockServer } from './support/startAppOnMockServer'
import { recordSignOuts, screenOf, shownErrors, watchTraffic } from './support/tabs'

// The app built with VITE_REFRESH_MODE=cookie against `npm run mock:server` over real HTTP, so that
// Chromium itself keeps the HttpOnly refresh cookie (127.0.0.1 on two ports is one site, so the
// SameSite=Strict cookie goes with `credentials: 'include'`).
let app: AppOnMockServer
let site: StaticServer
let chromium: LaunchedChromium
let page: Page

beforeAll(async () => {
  app = await startAppOnMockServer('cookie', { VITE_REFRESH_MODE: 'cookie' })
  ;({ site, chromium, page } = app)
}, 180_000)

afterAll(() => app?.close())

async function freshSignIn(config: Record<string, number> = {}) {
  await clearSite(page, site.url, async () => {
    await resetMock()
    await configureMock({ refresh_mode: 'cookie', ...config })
  })
  await page.goto(site.url + '/login')
  await signIn(page, ADMIN)
}

// All of the context's cookies: asked for a URL, Playwright leaves out those of another path.
const refreshCookie = async () =>
  (await chromium.context.cookies()).find((cookie) => cookie.name === REFRESH_COOKIE)

const counters = async () => (await getMockState()).counters

/** Whatever the page's JS can read: its cookies and both storages. */
const visibleToScript = (tab: Page) =>
  tab.evaluate(() =>
    [
      document.cookie,
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
    ].join('\n'),
  )

/** The refresh token must be none of what JS sees: not the cookie's name, not any token issued. */
async function expectNoRefreshTokenVisible(tab: Page) {
  const visible = await visibleToScript(tab)
  expect(visible).not.toContain(REFRESH_COOKIE)
  const issued = Object.keys(db.read().refresh_tokens)
  expect(issued.length).toBeGreaterThan(0)
  for (const token of issued) expect(visible).not.toContain(token)
}

describe('the app on an HttpOnly refresh cookie (VITE_REFRESH_MODE=cookie), in Chromium over HTTP', () => {
  it('stays signed in across reloads, resuming with one silent refresh when nothing is stored, with no request failing', async () => {
    await freshSignIn()
    const cookie = await refreshCookie()
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' })
    const traffic = watchTraffic([page])
    const before = await counters()

    await page.reload()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    expect((await counters()).refreshes).toBe(before.refreshes)

    // Nothing stored: only the cookie is left, as after a reload of an app that keeps tokens in memory.
    await clearStorage(page, site.url, 'local_storage,indexeddb')
    await page.reload()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    await page.getByRole('link', { name: 'Jobs' }).click()
    await page.getByRole('heading', { name: 'Your jobs' }).waitFor()
    traffic.stop()

    const after = await counters()
    expect(after.refreshes - before.refreshes).toBe(1)
    expect(after.refreshes_rejected).toBe(before.refreshes_rejected)
    expect(traffic.log.failures).toEqual([])
    expect(traffic.log.unauthorized).toEqual([])
    expect(traffic.log.refreshBodies).toEqual([''])
    expect(await shownErrors(page)).toEqual([])
    await expectNoRefreshTokenVisible(page)
  })

  it('takes no record left in IndexedDB alone for a session: with the cookie gone, a reload asks the server and shows the sign-in page', async () => {
    await freshSignIn()
    // What a sign-out leaves when its page unloads before IndexedDB lets go of the record
    // (localStorage is cleared at once), or a tester clearing localStorage by hand.
    await page.goto('about:blank')
    await chromium.context.clearCookies()
    await clearStorage(page, site.url, 'local_storage')
    const before = await counters()

    await page.goto(site.url + '/pipelines')
    await page.getByLabel('Email').waitFor()
    expect(await screenOf(page)).toBe('sign-in page')
    const after = await counters()
    expect(after.refreshes - before.refreshes).toBe(1)
    expect(after.refreshes_rejected - before.refreshes_rejected).toBe(1)
    expect(await shownErrors(page)).toEqual([])
  })

  it('keeps 3 tabs on 10 s tokens signed in for a minute, with the CPU busy: no reuse, no sign-out, one refresh per lifetime', async () => {
    await freshSignIn({ access_ttl_seconds: 10 })
    const others = [await chromium.context.newPage(), await chromium.context.newPage()]
    for (const tab of others) {
      await tab.goto(site.url + '/')
      await tab.getByRole('button', { name: 'Sign out' }).waitFor()
    }
    const tabs = [page, ...others]
    const signOuts = await Promise.all(tabs.map((tab) => recordSignOuts(tab)))
    const traffic = watchTraffic(tabs)
    const before = await counters()
    const stopBusy = startBusyLoops(2)
    try {
      await new Promise((done) => setTimeout(done, 60_000))
    } finally {
      stopBusy()
    }
    traffic.stop()

    const after = await counters()
    const refreshes = after.refreshes - before.refreshes
    expect(after.reuse_detected).toBe(0)
    expect(after.refreshes_rejected).toBe(before.refreshes_rejected)
    // A 10 s token is refreshed in the last third of its life: about 9 in a minute, for all tabs.
    expect(refreshes).toBeGreaterThanOrEqual(6)
    expect(refreshes).toBeLessThanOrEqual(12)
    expect(traffic.log.failures).toEqual([])
    for (const [index, tab] of tabs.entries()) {
      expect(await screenOf(tab)).toBe('signed-in')
      expect(await signOuts[index]!()).toEqual([])
      await expectNoRefreshTokenVisible(tab)
    }
    for (const tab of others) await tab.close()
  })

  it('clears the cookie and revokes the session on sign-out; a reload then shows the sign-in page and no error', async () => {
    await freshSignIn()
    expect(await refreshCookie()).toBeDefined()
    const before = await counters()

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    await expect.poll(refreshCookie).toBeUndefined()
    const families = Object.values(db.read().families)
    expect(families.map((family) => family.revoked_reason)).toEqual(['logout'])

    await page.reload()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    // The silent refresh asked and heard "nobody": the sign-in page, with no error on it.
    await expect
      .poll(async () => (await counters()).refreshes_rejected)
      .toBe(before.refreshes_rejected + 1)
    expect((await counters()).refreshes).toBe(before.refreshes + 1)
    expect(await shownErrors(page)).toEqual([])
    expect(await screenOf(page)).toBe('sign-in page')
  })
})
