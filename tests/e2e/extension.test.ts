import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { BrowserContext, Page, Worker } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MockSnapshot } from './support/app'
import { seriousViolations } from './support/axe'
import { launchChromium, type LaunchedChromium } from './support/chromium'
import { writeFixturePage } from './support/writeFixturePage'
import { serveStatic, type StaticServer } from './support/serveStatic'

// The built app on its service-worker mocks and the unpacked extension, in real Chromium.
// `npm run test:e2e` builds both first; the directories can be overridden for local runs.
const APP_DIR = process.env.TRK_APP_DIR ?? 'dist'
const EXTENSION_DIR = resolve(process.env.TRK_EXTENSION_DIR ?? 'dist-extension')
const SCREENSHOTS = resolve('docs/screenshots')
const ATTACKER = 'http://attacker.test'

let chromium: LaunchedChromium
let context: BrowserContext
let extensionId: string
let app: StaticServer
let plain: StaticServer
let plainDir: string
let page: Page
let popup: Page
const statuses: Array<{ status: number; url: string }> = []

/** The mock's counters, read by the app page from its own service worker. */
const mockState = (): Promise<MockSnapshot> =>
  page.evaluate(() => fetch('/__mock/state').then((response) => response.json()))

/**
 * The extension's service worker. Chromium stops an idle one; opening an extension page wakes
 * it again under a new target.
 */
async function extensionWorker(): Promise<Worker> {
  const alive = context.serviceWorkers().find((candidate) => candidate.url().includes(extensionId))
  if (alive) return alive
  const waking = context.waitForEvent('serviceworker')
  const wake = await context.newPage()
  await wake.goto(`chrome-extension://${extensionId}/popup.html?tabId=1`)
  await wake.close()
  return waking
}

const tabIdOf = async (urlPrefix: string): Promise<number> => {
  const worker = await extensionWorker()
  const id = await worker.evaluate(async (prefix) => {
    const tabs = await chrome.tabs.query({})
    return tabs.find((tab) => tab.url?.startsWith(prefix))?.id ?? null
  }, urlPrefix)
  if (id === null) throw new Error(`No tab shows ${urlPrefix}`)
  return id
}

const openPopupFor = async (tabId: number): Promise<Page> => {
  const opened = await context.newPage()
  // As wide as the real popup, and tall enough that no scrollbar narrows it.
  await opened.setViewportSize({ width: 400, height: 1400 })
  await opened.goto(`chrome-extension://${extensionId}/popup.html?tabId=${tabId}`)
  return opened
}

/** Runs one control and waits until the page has answered it. */
async function use(name: string, before?: () => Promise<void>) {
  const button = popup.getByRole('button', { name, exact: true })
  await expect
    .poll(
      async () =>
        (await button.isVisible()) &&
        (await button.isEnabled()) &&
        (await button.getAttribute('aria-disabled')) === null,
      { timeout: 10_000 },
    )
    .toBe(true)
  await before?.()
  await button.click()
  await expect
    .poll(() => popup.locator('.log .action').first().getAttribute('class'), { timeout: 20_000 })
    .not.toContain('pending')
  const first = popup.locator('.log .action').first()
  expect(await first.getAttribute('class')).toContain('done')
}

/** A screenshot of the popup as a tester sees it, once the bar's transition has settled. */
async function shoot(target: Page, name: string) {
  await target.waitForTimeout(1000)
  await target.locator('body').screenshot({ path: join(SCREENSHOTS, name) })
}

const historyTitles = () => popup.locator('.history li strong').allTextContents()
const jobsAnswers = (since: number) =>
  statuses
    .slice(since)
    .filter(({ url }) => url.includes('/api/v1/jobs'))
    .map(({ status }) => status)
const appFailures = () =>
  statuses.filter(({ status, url }) => status >= 400 && url.includes('/api/'))

async function signInAgain() {
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Password').fill('admin123')
  await dialog.getByRole('button', { name: 'Sign in' }).click()
  await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(0)
  await expect
    .poll(() => popup.locator('.pill').textContent(), { timeout: 10_000 })
    .toBe('Signed in')
}

beforeAll(async () => {
  app = await serveStatic(APP_DIR)
  plainDir = await mkdtemp(join(tmpdir(), 'trk-plain-'))
  await writeFile(
    join(plainDir, 'index.html'),
    `<!doctype html><title>No bridge</title><h1>A page without the bridge</h1>
<script>
  window.seen = []
  addEventListener('message', (event) => window.seen.push(event.data))
</script>`,
  )
  // The same static server also serves a page with the real bridge and no mock controls.
  await writeFixturePage(plainDir, {
    fixture: 'bridge-page',
    name: 'real',
    title: 'Real backend',
    heading: 'An app on a real backend',
  })
  plain = await serveStatic(plainDir)
  chromium = await launchChromium({
    extensionPath: EXTENSION_DIR,
    args: ['--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  })
  context = chromium.context
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))
  extensionId = new URL(worker.url()).host
  await context.route(`${ATTACKER}/**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: attackerPage }),
  )
  await mkdir(SCREENSHOTS, { recursive: true })
})

afterAll(async () => {
  await chromium?.close()
  await app?.close()
  await plain?.close()
  if (plainDir) await rm(plainDir, { recursive: true, force: true })
})

describe('the extension against the app on its mocks', () => {
  it('shows the signed-in user and a time left that counts down', async () => {
    page = await context.newPage()
    page.on('response', (response) =>
      statuses.push({ status: response.status(), url: response.url() }),
    )
    await page.goto(app.url)
    await page.getByLabel('Email').fill('admin@etl.local')
    await page.getByLabel('Password').fill('admin123')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('button', { name: 'Sign out' }).waitFor()
    // One poller only, so that each reaction below is one request.
    await page.getByRole('link', { name: 'Jobs' }).click()

    popup = await openPopupFor(await tabIdOf(app.url))
    await expect
      .poll(() => popup.locator('.who').textContent(), { timeout: 10_000 })
      .toContain('admin@etl.local')
    expect(await popup.locator('.pill').textContent()).toBe('Signed in')
    const bar = popup.getByRole('progressbar', { name: 'Access token time left' })
    const left = async () => Number(await bar.getAttribute('aria-valuenow'))
    const first = await left()
    expect(first).toBeGreaterThan(200)
    expect(Number(await bar.getAttribute('aria-valuemax'))).toBe(300)
    await expect.poll(left, { timeout: 5000 }).toBeLessThan(first)
    expect(await popup.locator('.claims').textContent()).toContain('permissions')
    expect(await popup.locator('.facts').textContent()).toMatch(/token eyJhbG…/)
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible')
    await shoot(popup, 'popup-session.png')
    expect(await seriousViolations(popup), 'axe on the popup').toEqual([])
  })

  it('Expire access token: one refresh and no failed request', async () => {
    const before = await mockState()
    const failures = appFailures().length
    const seen = statuses.length
    await use('Expire access token')
    await expect
      .poll(async () => (await mockState()).counters.refreshes, { timeout: 15_000 })
      .toBe(before.counters.refreshes + 1)
    // The request that waited for the refresh went out with the new token and succeeded.
    await expect.poll(() => jobsAnswers(seen).includes(200), { timeout: 15_000 }).toBe(true)
    const after = await mockState()
    expect(after.counters.refreshes).toBe(before.counters.refreshes + 1)
    expect(after.counters.unauthorized).toBe(before.counters.unauthorized)
    expect(appFailures()).toHaveLength(failures)
    await expect
      .poll(() => popup.locator('.log .action').first().textContent(), { timeout: 10_000 })
      .toContain('Refreshed')
    expect(await historyTitles()).toEqual(
      expect.arrayContaining(['Refreshed', 'Token expired (forced)']),
    )
    await shoot(popup, 'popup-expire.png')
  })

  it('Invalidate access token: one 401, one refresh, the request retried and successful', async () => {
    const before = await mockState()
    const seen = statuses.length
    await use('Invalidate access token')
    await expect
      .poll(async () => (await mockState()).counters.refreshes, { timeout: 15_000 })
      .toBe(before.counters.refreshes + 1)
    await expect
      .poll(() => popup.locator('.log .action').first().textContent(), { timeout: 15_000 })
      .toContain('Request retried')
    const after = await mockState()
    expect(after.counters.unauthorized).toBe(before.counters.unauthorized + 1)
    const answers = statuses
      .slice(seen)
      .filter(({ url }) => url.includes('/api/v1/jobs'))
      .map(({ status }) => status)
    expect(answers).toContain(401)
    expect(answers.slice(answers.indexOf(401) + 1)).toContain(200)
    expect(await page.getByRole('dialog').count()).toBe(0)
  })

  it('Fail next refresh 500: the session stays and recovers', async () => {
    const before = await mockState()
    await popup.getByLabel('Failure to simulate').selectOption('500')
    await use('Fail next refresh')
    expect((await mockState()).fail_next_refresh).toMatchObject({ status: 500 })
    await use('Expire access token')
    await expect
      .poll(() => historyTitles(), { timeout: 20_000 })
      .toContain('Refresh failed, will retry')
    await expect
      .poll(async () => (await mockState()).counters.refreshes, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(before.counters.refreshes + 2)
    await expect
      .poll(() => popup.locator('.pill').textContent(), { timeout: 20_000 })
      .toBe('Signed in')
    const after = await mockState()
    expect(after.fail_next_refresh).toBeNull()
    // The simulated 500 is a failure, not a refusal; the retry then succeeded.
    expect(after.counters.refreshes_failed).toBe(before.counters.refreshes_failed + 1)
    expect(after.counters.refreshes_rejected).toBe(before.counters.refreshes_rejected)
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(await historyTitles()).not.toContain('Session ended')
  })

  it('Fail next refresh 401: the app asks to sign in again', async () => {
    await popup.getByLabel('Failure to simulate').selectOption('401')
    await use('Fail next refresh')
    await use('Expire access token')
    await page.getByRole('dialog').waitFor({ timeout: 20_000 })
    expect(await page.getByRole('dialog').textContent()).toContain('Your session has ended')
    await expect
      .poll(() => popup.locator('.pill').textContent(), { timeout: 10_000 })
      .toMatch(/^Session ended/)
    await shoot(popup, 'popup-ended.png')
    await signInAgain()
  })

  it('Revoke session: the app asks to sign in again', async () => {
    const before = await mockState()
    await use('Revoke session')
    await page.getByRole('dialog').waitFor({ timeout: 20_000 })
    const after = await mockState()
    expect(after.counters.refreshes_rejected).toBe(before.counters.refreshes_rejected + 1)
    await signInAgain()
  })

  it('Access token lifetime 10 s: the next token lives 10 s', async () => {
    await popup.getByLabel('Access token lifetime').fill('10')
    await use('Apply')
    expect((await mockState()).config.access_ttl_seconds).toBe(10)
    await use('Refresh now')
    const bar = popup.getByRole('progressbar', { name: 'Access token time left' })
    await expect.poll(() => bar.getAttribute('aria-valuemax'), { timeout: 10_000 }).toBe('10')
    expect(await popup.locator('.time-left').textContent()).toContain('lives 10 s')
    await popup.getByLabel('Access token lifetime').fill('300')
    await use('Apply')
    await use('Refresh now')
    await expect.poll(() => bar.getAttribute('aria-valuemax'), { timeout: 10_000 }).toBe('300')
  })

  it('keeps up when Chromium stops its idle service worker', async () => {
    const historyBefore = await historyTitles()
    const cdp = await context.newCDPSession(popup)
    const versions: Array<{ versionId: string; scriptURL: string; runningStatus: string }> = []
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => versions.push(...event.versions))
    await cdp.send('ServiceWorker.enable')
    await expect.poll(() => versions.some((v) => v.scriptURL.includes(extensionId))).toBe(true)
    const { versionId } = versions.find((v) => v.scriptURL.includes(extensionId))!
    await popup.evaluate(() => {
      const notice = document.querySelector<HTMLElement>('.notice')!
      const seen = window as unknown as { sawNotice: boolean }
      seen.sawNotice = false
      new MutationObserver(() => {
        if (!notice.hidden) seen.sawNotice = true
      }).observe(notice, { attributes: true, childList: true })
    })
    await cdp.send('ServiceWorker.stopWorker', { versionId })
    await expect
      .poll(() => versions.some((v) => v.versionId === versionId && v.runningStatus === 'stopped'))
      .toBe(true)
    await cdp.detach()

    // The popup notices, reconnects, the worker asks the page's content script, and all comes back.
    await expect
      .poll(() => popup.evaluate(() => (window as unknown as { sawNotice: boolean }).sawNotice))
      .toBe(true)
    const before = await mockState()
    await use('Refresh now')
    await expect
      .poll(async () => (await mockState()).counters.refreshes)
      .toBe(before.counters.refreshes + 1)
    await expect
      .poll(() => popup.locator('.log .action').first().textContent())
      .toContain('Refreshed')
    expect(await historyTitles()).toEqual(expect.arrayContaining(historyBefore))
  })

  it('a page of another origin posting look-alike messages gets nothing and changes nothing', async () => {
    const before = await mockState()
    const historyBefore = await historyTitles()
    await page.evaluate((src) => {
      const frame = document.createElement('iframe')
      frame.src = src
      frame.id = 'attacker'
      document.body.append(frame)
    }, `${ATTACKER}/frame.html`)
    const frame = page.frameLocator('#attacker')
    await frame.locator('#done').waitFor()
    const attacker = page.frames().find((candidate) => candidate.url().startsWith(ATTACKER))!
    // Long enough for any command or forged state to have been acted on.
    await page.waitForTimeout(2000)
    expect(
      await attacker.evaluate(() => (window as unknown as { received: unknown[] }).received),
    ).toEqual([])
    const after = await mockState()
    expect(after.counters.refreshes).toBe(before.counters.refreshes)
    expect(after.counters.unauthorized).toBe(before.counters.unauthorized)
    expect(after.config.access_ttl_seconds).toBe(before.config.access_ttl_seconds)
    expect(after.fail_next_refresh).toBeNull()
    expect(await popup.locator('.who').textContent()).toContain('admin@etl.local')
    expect(await popup.locator('body').textContent()).not.toContain('mallory')
    expect(await historyTitles()).toEqual(historyBefore)
    expect(await page.getByRole('dialog').count()).toBe(0)
  })

  it('against a real backend: the mock-only controls are disabled with the reason, the others work', async () => {
    const real = await context.newPage()
    await real.goto(`${plain.url}/real.html`)
    const realPopup = await openPopupFor(await tabIdOf(`${plain.url}/real.html`))
    await expect
      .poll(() => realPopup.locator('.who').textContent(), { timeout: 10_000 })
      .toContain('tester@real.example')
    for (const name of ['Fail next refresh', 'Revoke session', 'Apply']) {
      const button = realPopup.getByRole('button', { name, exact: true })
      expect(await button.isDisabled()).toBe(true)
      const reason = await button.getAttribute('aria-describedby')
      expect(await realPopup.locator(`#${reason}`).textContent()).toContain('Needs the mocks')
    }
    await realPopup.getByRole('button', { name: 'Refresh now' }).click()
    await expect
      .poll(() =>
        real.evaluate(() =>
          (window as unknown as { refreshesIssued: () => number }).refreshesIssued(),
        ),
      )
      .toBe(1)
    await expect
      .poll(() => realPopup.locator('.log .action').first().textContent(), { timeout: 10_000 })
      .toContain('Refreshed')
    await realPopup.getByRole('button', { name: 'Expire access token' }).click()
    await expect
      .poll(() => realPopup.locator('.log .action').first().textContent(), { timeout: 10_000 })
      .toContain('the server still accepts it')
    await shoot(realPopup, 'popup-real-backend.png')
    await realPopup.close()
    await real.close()
  })

  it('opened in a tab without ?tabId, the popup says how to use it and links each open page', async () => {
    const appTabId = await tabIdOf(app.url)
    const usage = await context.newPage()
    await usage.goto(`chrome-extension://${extensionId}/popup.html`)
    const notice = usage.locator('.notice')
    await expect
      .poll(() => notice.textContent(), { timeout: 10_000 })
      .toContain('This page inspects one tab, and none was named.')
    expect(await notice.textContent()).toContain('?tabId=N')
    // Each page the extension may inspect is one click away, the app's among them.
    const link = usage.getByRole('link', { name: `tabId=${appTabId}`, exact: true })
    expect(await link.getAttribute('href')).toBe(`?tabId=${appTabId}`)
    await link.click()
    await usage.getByRole('button', { name: 'Expire access token' }).waitFor({ timeout: 10_000 })
    expect(new URL(usage.url()).search).toBe(`?tabId=${appTabId}`)
    await usage.close()
  })

  it('a page without the bridge gets nothing, changes nothing, and the popup says how to fix it', async () => {
    const other = await context.newPage()
    await other.goto(plain.url)
    const html = await other.evaluate(() => document.documentElement.outerHTML)
    const noBridge = await openPopupFor(await tabIdOf(plain.url))
    await expect
      .poll(() => noBridge.locator('.notice').textContent(), { timeout: 10_000 })
      .toContain('This page has not installed the Token Refresh Kit bridge')
    expect(await noBridge.locator('.notice').textContent()).toContain(
      'installDevtoolsBridge(session)',
    )
    expect(await noBridge.getByRole('button', { name: 'Expire access token' }).isVisible()).toBe(
      false,
    )
    // Look-alikes the page posts with the wrong version or namespace are not a bridge either.
    await other.evaluate(() => {
      const snapshot = { status: 'authenticated', claims: { email: 'mallory@evil.test' } }
      for (const message of [
        {
          namespace: 'token-refresh-kit',
          version: 999,
          direction: 'page',
          type: 'hello',
          snapshot,
          events: [],
        },
        {
          namespace: 'someone-else',
          version: 1,
          direction: 'page',
          type: 'hello',
          snapshot,
          events: [],
        },
      ]) {
        window.postMessage(message, location.origin)
      }
    })
    await noBridge.waitForTimeout(1000)
    expect(await noBridge.locator('.notice').textContent()).toContain('has not installed')
    expect(await noBridge.locator('body').textContent()).not.toContain('mallory')
    const seen = await other.evaluate(
      () => (window as unknown as { seen: Array<{ namespace?: string; version?: number }> }).seen,
    )
    expect(
      seen.filter((message) => message?.namespace === 'token-refresh-kit' && message.version === 1),
    ).toEqual([])
    expect(await other.evaluate(() => document.documentElement.outerHTML)).toBe(html)
    await shoot(noBridge, 'popup-no-bridge.png')
    await noBridge.close()
    await other.close()
  })
})

const attackerPage = `<!doctype html><title>attacker</title>
<script>
  window.received = []
  addEventListener('message', (event) => window.received.push(event.data))
  const base = { namespace: 'token-refresh-kit', version: 1 }
  const snapshot = {
    status: 'authenticated', claims: { email: 'mallory@evil.test' }, expiresAt: Date.now() + 1000,
    now: Date.now(), refreshCount: 99, lastRefreshAt: null, error: null, endReason: null,
    maskedToken: null, mock: true,
  }
  const commands = [
    { type: 'expire' }, { type: 'invalidate' }, { type: 'revoke' }, { type: 'refresh' },
    { type: 'fail-next-refresh', status: 401 }, { type: 'set-lifetime', seconds: 5 },
  ]
  for (const command of commands) {
    parent.postMessage({ ...base, direction: 'extension', type: 'command', id: 'evil-' + command.type, command }, '*')
  }
  parent.postMessage({ ...base, direction: 'extension', type: 'ping' }, '*')
  parent.postMessage({ ...base, direction: 'page', type: 'hello', snapshot, events: [] }, '*')
  parent.postMessage({ ...base, direction: 'page', type: 'state', snapshot }, '*')
  parent.postMessage({ ...base, direction: 'page', type: 'event', event: { type: 'ended', at: Date.now(), reason: 'logout', error: null } }, '*')
</script>
<p id="done">posted</p>`
