import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configureMock, resetMock, type MockStateSnapshot } from '../../mocks/control'
import { startMockServer, type RunningMockServer } from '../../mocks/server'
import type { NaiveWindow } from './fixtures/naive-page/main'
import { signIn } from './support/app'
import { buildApp } from './support/buildApp'
import { launchChromium, type LaunchedChromium } from './support/chromium'
import { writeFixturePage } from './support/writeFixturePage'
import { serveStatic, type StaticServer } from './support/serveStatic'
import { NO_THROTTLING } from './support/tabs'

// Debugger mode: the extension attached (chrome.debugger) to tabs that have no bridge, the ETL
// app built for a real backend and a naive page, both on the mock server over HTTP.
//
// `chrome.permissions.request({ permissions: ['debugger'] })` shows a prompt that headless
// Chromium cannot answer, so this runs a copy of the built extension whose manifest declares
// `debugger` up front: the popup's `permissions.contains` then finds it granted and goes on to
// the same attach as after a granted prompt. Only the prompt itself is untested here.
const EXTENSION_DIR = resolve(process.env.TRK_EXTENSION_DIR ?? 'dist-extension')

let mock: RunningMockServer
let appDir: string
let app: StaticServer
let fixtureDir: string
let fixture: StaticServer
let extensionDir: string
let chromium: LaunchedChromium
let context: BrowserContext
let extensionId: string

const serverState = async (): Promise<MockStateSnapshot> =>
  (await fetch(`${mock.url}/__mock/state`)).json() as Promise<MockStateSnapshot>
const refreshes = async () => (await serverState()).counters.refreshes

async function tabIdOf(page: Page): Promise<number> {
  const worker =
    context.serviceWorkers().find((candidate) => candidate.url().includes(extensionId)) ??
    (await context.waitForEvent('serviceworker'))
  const url = page.url()
  const id = await worker.evaluate(async (wanted) => {
    const tabs = await chrome.tabs.query({})
    return tabs.find((tab) => tab.url === wanted)?.id ?? null
  }, url)
  if (id === null) throw new Error(`No tab shows ${url}`)
  return id
}

/** The popup for `page`'s tab, attached to it. */
async function attachTo(page: Page): Promise<Page> {
  const popup = await context.newPage()
  await popup.setViewportSize({ width: 400, height: 1400 })
  await popup.goto(`chrome-extension://${extensionId}/popup.html?tabId=${await tabIdOf(page)}`)
  await popup.getByRole('button', { name: 'Attach to this tab' }).click()
  await popup.getByRole('button', { name: 'Detach' }).waitFor({ timeout: 10_000 })
  return popup
}

const latestNext = (popup: Page) =>
  popup.locator('.attach .log .action').first().locator('.next').textContent()

async function use(popup: Page, name: string) {
  await popup.getByRole('button', { name, exact: true }).click()
}

beforeAll(async () => {
  mock = await startMockServer({ port: 0 })
  await resetMock()
  appDir = await mkdtemp(join(tmpdir(), 'trk-e2e-attach-app-'))
  // A production build for a backend, as on staging: no bridge.
  await buildApp(appDir, { VITE_API_URL: mock.url })
  app = await serveStatic(appDir)

  fixtureDir = await mkdtemp(join(tmpdir(), 'trk-e2e-attach-naive-'))
  await writeFixturePage(fixtureDir, {
    fixture: 'naive-page',
    name: 'index',
    title: 'Naive interceptor',
    heading: 'Seed 003',
  })
  fixture = await serveStatic(fixtureDir)

  extensionDir = await mkdtemp(join(tmpdir(), 'trk-e2e-attach-ext-'))
  await cp(EXTENSION_DIR, extensionDir, { recursive: true })
  const manifestPath = join(extensionDir, 'manifest.json')
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { permissions: string[] }
  manifest.permissions.push('debugger')
  await writeFile(manifestPath, JSON.stringify(manifest))

  chromium = await launchChromium({ extensionPath: extensionDir, args: NO_THROTTLING })
  context = chromium.context
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))
  extensionId = new URL(worker.url()).host
}, 240_000)

afterAll(async () => {
  await chromium?.close()
  await app?.close()
  await fixture?.close()
  await mock?.close()
  for (const dir of [appDir, fixtureDir, extensionDir]) {
    if (dir) await rm(dir, { recursive: true, force: true })
  }
})

describe('debugger mode on the ETL app built for a real backend (no bridge)', () => {
  let page: Page
  let popup: Page

  it('attaches, and shows the claims and time left of the Bearer token the app sends', async () => {
    page = await context.newPage()
    await page.goto(`${app.url}/login`)
    await signIn(page)
    await page.getByRole('link', { name: 'Jobs' }).click()
    popup = await attachTo(page)
    await expect
      .poll(() => popup.locator('.attach .facts').textContent(), { timeout: 15_000 })
      .toMatch(/Last Bearer token sent: eyJhbG…/)
    const bar = popup.getByRole('progressbar', { name: 'Access token time left' })
    expect(Number(await bar.getAttribute('aria-valuemax'))).toBe(300)
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(200)
    expect(await popup.locator('.attach .claims').textContent()).toContain('admin@etl.local')
    const token = await page.evaluate(() => JSON.stringify(localStorage))
    const signature = /eyJ[\w-]+\.[\w-]+\.([\w-]+)/.exec(token)?.[1]
    expect(signature).toBeTruthy()
    expect(await popup.content()).not.toContain(signature)
  })

  it('Expire access token: one refresh at the server, and every request answered 401 is retried, 200', async () => {
    const before = await refreshes()
    await use(popup, 'Expire access token')
    await expect
      .poll(() => latestNext(popup), { timeout: 20_000 })
      .toMatch(
        /^Then the page: \d+ requests? answered 401 -> 1 refresh -> \d+ retried, 200( -> \d+ other requests?, 200)?$/,
      )
    const next = (await latestNext(popup))!
    const [, rejected, retried] = /(\d+) requests? answered 401 .* (\d+) retried/.exec(next)!
    expect(retried).toBe(rejected)
    expect(await refreshes()).toBe(before + 1)
    expect(await page.getByRole('dialog').count()).toBe(0)
    await popup.waitForTimeout(1000) // the bar's transition
    await popup.locator('body').screenshot({ path: resolve('docs/screenshots/popup-debugger.png') })
  })

  it('Fail next refresh 500: the app retries its refresh and recovers', async () => {
    const before = await refreshes()
    await popup.getByLabel('Refresh failure to simulate').selectOption('500')
    await use(popup, 'Fail next refresh')
    await use(popup, 'Expire access token')
    await expect
      .poll(() => latestNext(popup), { timeout: 30_000 })
      .toMatch(
        /answered 401 -> 2 refreshes, 500, 200 -> \d+ retried, 200( -> \d+ other requests?, 200)?$/,
      )
    // The 500 was the extension's: the server saw only the refresh that recovered.
    expect(await refreshes()).toBe(before + 1)
    expect(await page.getByRole('dialog').count()).toBe(0)
  })

  it('Fail next refresh 401: the session ends and the app asks to sign in again', async () => {
    const before = await refreshes()
    await popup.getByLabel('Refresh failure to simulate').selectOption('401')
    await use(popup, 'Fail next refresh')
    await use(popup, 'Expire access token')
    await page.getByRole('dialog').waitFor({ timeout: 20_000 })
    expect(await latestNext(popup)).toMatch(/answered 401 -> 1 refresh, 401/)
    expect(await refreshes()).toBe(before)
    await popup.getByRole('button', { name: 'Detach' }).click()
    await popup.getByRole('button', { name: 'Attach to this tab' }).waitFor()
    await popup.close()
    await page.close()
  })
})

describe('debugger mode on a page with a naive interceptor (seed 003)', () => {
  let naive: Page
  let other: Page
  let popup: Page

  beforeAll(async () => {
    await resetMock()
    await configureMock({ refresh_mode: 'sliding' })
    naive = await context.newPage()
    await naive.goto(`${fixture.url}/?api=${encodeURIComponent(mock.url)}`)
    await naive.evaluate(() => (window as unknown as NaiveWindow).signIn())
    // A second tab of the same origin, sharing the token through localStorage.
    other = await context.newPage()
    await other.goto(`${fixture.url}/?api=${encodeURIComponent(mock.url)}`)
    popup = await attachTo(naive)
    expect(await naive.evaluate(() => (window as unknown as NaiveWindow).fiveAtOnce())).toEqual([
      200, 200, 200, 200, 200,
    ])
  })

  it('Expire access token: the log shows the 5 refresh calls that 5 concurrent 401s make', async () => {
    const before = await refreshes()
    await use(popup, 'Expire access token')
    expect(await naive.evaluate(() => (window as unknown as NaiveWindow).fiveAtOnce())).toEqual([
      200, 200, 200, 200, 200,
    ])
    await expect
      .poll(() => latestNext(popup), { timeout: 10_000 })
      .toBe('Then the page: 5 requests answered 401 -> 5 refreshes -> 5 retried, 200')
    expect(await refreshes()).toBe(before + 5)
  })

  it('never touches another tab: the same token sent from a tab not attached gets its answer', async () => {
    // Both tabs now hold the same token, and the attached one has just sent it.
    expect(await naive.evaluate(() => (window as unknown as NaiveWindow).fiveAtOnce())).toEqual([
      200, 200, 200, 200, 200,
    ])
    await use(popup, 'Expire access token')
    const before = await refreshes()
    expect(await other.evaluate(() => (window as unknown as NaiveWindow).fiveAtOnce())).toEqual([
      200, 200, 200, 200, 200,
    ])
    expect(await other.evaluate(() => (window as unknown as NaiveWindow).refreshes)).toBe(0)
    expect(await refreshes()).toBe(before)
    // The rule was live all along, for the attached tab.
    expect(await naive.evaluate(() => (window as unknown as NaiveWindow).fiveAtOnce())).toEqual([
      200, 200, 200, 200, 200,
    ])
    expect(await refreshes()).toBe(before + 5)
  })

  it('Detach restores the traffic: rules armed before it no longer apply', async () => {
    // Twice, so that the token the extension saw last is the one the page holds.
    for (let i = 0; i < 2; i++)
      await naive.evaluate(() => (window as unknown as NaiveWindow).fiveAtOnce())
    await use(popup, 'Expire access token')
    await popup.getByLabel('Refresh failure to simulate').selectOption('network')
    await use(popup, 'Fail next refresh')
    await popup.getByLabel('Latency (ms)').fill('20000')
    await use(popup, 'Apply latency')
    await popup.getByRole('button', { name: 'Detach' }).click()
    await popup.getByRole('button', { name: 'Attach to this tab' }).waitFor()
    const before = await refreshes()
    const started = Date.now()
    // The token the extension expired, sent again: answered by the server, at once.
    expect(await naive.evaluate(() => (window as unknown as NaiveWindow).fiveAtOnce())).toEqual([
      200, 200, 200, 200, 200,
    ])
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(await refreshes()).toBe(before)
  })
})
