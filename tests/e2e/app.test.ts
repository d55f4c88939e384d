import type { Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN,
  fillJobForm,
  mockControl,
  openApp,
  screenshot,
  setHidden,
  signIn,
  VIEWER,
  watchFailures,
  type RunningApp,
} from './support/app'

const SOON = { timeout: 15_000, interval: 250 }

// One browser for the file; each test starts from fresh mocks and a signed-out page.
let app: RunningApp
let page: Page

beforeAll(async () => {
  app = await openApp('/login')
  page = app.page
})

afterAll(async () => {
  await app?.close()
})

async function freshStart(config: Record<string, number> = {}) {
  // Drop the previous test's session first, so that no tab of it refreshes against the reset mock.
  await page.evaluate(() => {
    localStorage.removeItem('token-refresh-kit')
    // The Session page's history outlives reloads of the tab: each test starts without it.
    sessionStorage.removeItem('etl-console:session-log')
    localStorage.setItem('etl-console:toolbar-open', 'false')
  })
  await page.goto(app.url + '/login')
  await page.getByRole('button', { name: 'Sign in' }).waitFor()
  const mock = mockControl(page)
  await mock.reset()
  await mock.config({
    job_queue_seconds: 1,
    job_run_seconds: 4,
    dag_queue_seconds: 1,
    dag_run_seconds: 3,
    ...config,
  })
  return mock
}

const jobRow = (name: string) =>
  page.getByRole('row').filter({ has: page.getByText(name, { exact: true }) })

describe('the ETL console in Chromium, on its service-worker mocks', () => {
  it('signs in, submits a job with a file and watches it complete', async () => {
    const mock = await freshStart({ job_run_seconds: 10 })
    await screenshot(page, 'sign-in')
    // Wrong password first: a clear error, no sign-in.
    await page.getByLabel('Email').fill(ADMIN.email)
    await page.getByLabel('Password').fill('wrong')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect
      .poll(() => page.getByRole('alert').innerText(), SOON)
      .toContain('Wrong email or password')

    await signIn(page, ADMIN)
    await expect
      .poll(() => page.getByRole('status', { name: 'Session' }).innerText(), SOON)
      .toMatch(/\d:\d\d left/)
    await page.getByRole('link', { name: 'Jobs' }).click()
    await fillJobForm(page, 'Cohort A chr20', 'cohort-a.vcf')
    await page.getByRole('button', { name: 'Submit job' }).click()
    await page.getByText('Job “Cohort A chr20” submitted').waitFor()
    const row = jobRow('Cohort A chr20')
    await expect.poll(() => row.innerText(), SOON).toContain('cohort-a.vcf')
    // A second job whose file the mock is told to fail, for the queue's failed column.
    await fillJobForm(page, 'Cohort B chr21', 'cohort-b-fail.vcf')
    await page.getByRole('button', { name: 'Submit job' }).click()
    await page.getByText('Job “Cohort B chr21” submitted').waitFor()
    await expect.poll(() => row.innerText(), SOON).toMatch(/running/i)
    await expect
      .poll(
        async () => Number(await row.getByRole('progressbar').getAttribute('aria-valuenow')),
        SOON,
      )
      .toBeGreaterThanOrEqual(25)
    await screenshot(page, 'jobs')
    await row.getByText('completed').waitFor({ timeout: 20_000 })
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')

    await page.getByRole('link', { name: 'Queue' }).click()
    await page
      .getByRole('region', { name: /Completed/ })
      .getByText('Cohort A chr20')
      .waitFor()
    await page
      .getByRole('region', { name: /Failed/ })
      .getByText('Cohort B chr21')
      .waitFor()
    await screenshot(page, 'queue')
    // The one 401 is the wrong password above; the job's requests never met one.
    expect((await mock.state()).counters.unauthorized).toBe(1)
  })

  it('triggers the download and then the processing pipeline, and sees both finish', async () => {
    await freshStart()
    await signIn(page, ADMIN)
    await page.getByRole('link', { name: 'Pipelines' }).click()
    await page.getByRole('button', { name: 'Refresh', exact: true }).click()
    const steps = page.getByRole('list', { name: 'Refresh progress' }).getByRole('listitem')
    await expect.poll(() => steps.nth(0).innerText(), SOON).toMatch(/queued|running/i)
    await screenshot(page, 'pipelines-running')
    await steps.nth(0).getByText('success').waitFor({ timeout: 20_000 })
    await steps.nth(1).getByText('success').waitFor({ timeout: 20_000 })
    await page.getByText('Both pipelines finished').waitFor()
    // The recent runs list shows the two manual runs at the top, succeeded.
    const manualRuns = page.getByRole('row').filter({ hasText: /manual__/ })
    await expect.poll(() => manualRuns.count(), { timeout: 15_000 }).toBe(2)
    expect(await manualRuns.filter({ hasText: 'success' }).count()).toBe(2)
    await screenshot(page, 'pipelines')
  })

  it('shows a viewer the controls they cannot use disabled, with the reason', async () => {
    await freshStart()
    await signIn(page, VIEWER)
    await page.getByRole('link', { name: 'Pipelines' }).click()
    expect(await page.getByRole('button', { name: 'Refresh', exact: true }).isDisabled()).toBe(true)
    await page.getByText('needs the dags:trigger permission').waitFor()
    await page.getByRole('link', { name: 'Jobs' }).click()
    expect(await page.getByRole('button', { name: 'Submit job' }).isDisabled()).toBe(true)
    await page.getByText('needs the jobs:submit permission').waitFor()
  })

  it('with 10 s tokens, two minutes of use see no failed request and no sign-out', async () => {
    const mock = await freshStart({ access_ttl_seconds: 10, job_run_seconds: 6 })
    await signIn(page, ADMIN)
    const before = await mock.state()
    const watch = watchFailures(page)
    let signedOut = false
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().endsWith('/login')) signedOut = true
    })
    const pages = ['Pipelines', 'Jobs', 'Queue', 'Session']
    const started = Date.now()
    let round = 0
    while (Date.now() - started < 120_000) {
      const name = pages[round % pages.length]!
      await page.getByRole('link', { name, exact: true }).click()
      if (name === 'Jobs' && round % 8 === 1) {
        await fillJobForm(page, `Load ${round}`)
        await page.getByRole('button', { name: 'Submit job' }).click()
        await page.getByText(`Job “Load ${round}” submitted`).waitFor()
      }
      if (name === 'Pipelines' && round % 8 === 0) {
        await page.getByRole('button', { name: 'Refresh', exact: true }).click()
      }
      expect(await page.getByRole('dialog').count()).toBe(0)
      await page.waitForTimeout(4_000)
      round += 1
    }
    watch.stop()
    const after = await mock.state()
    expect(watch.failures).toEqual([])
    expect(await watch.shownErrors()).toEqual([])
    expect(signedOut).toBe(false)
    expect(after.counters.unauthorized - before.counters.unauthorized).toBe(0)
    expect(after.counters.refreshes_rejected).toBe(0)
    const refreshes = after.counters.refreshes - before.counters.refreshes
    // One refresh per 10 s token at the very least, and not a storm either.
    expect(refreshes).toBeGreaterThanOrEqual(10)
    expect(refreshes).toBeLessThanOrEqual(24)

    await page.getByRole('link', { name: 'Session', exact: true }).click()
    const history = page.getByRole('list', { name: 'Refresh history' })
    await expect
      .poll(() => history.getByText('Refreshed', { exact: true }).count(), SOON)
      .toBeGreaterThanOrEqual(10)
    expect(Number(await page.getByTestId('refresh-count').innerText())).toBeGreaterThanOrEqual(10)
    await screenshot(page, 'session')
  }, 200_000)

  it('a refresh answered 401 mid-work: the dialog keeps the form, and the held job is sent once', async () => {
    const mock = await freshStart()
    await signIn(page, ADMIN)
    await page.getByRole('link', { name: 'Jobs' }).click()
    await page.getByText('No jobs yet').waitFor()
    await fillJobForm(page, 'Held job', 'held.vcf')

    const created: string[] = []
    page.on('response', (response) => {
      const request = response.request()
      if (request.method() === 'POST' && new URL(response.url()).pathname === '/api/v1/jobs') {
        created.push(String(response.status()))
      }
    })
    await mock.scenario({ fail_next_refresh: { status: 401 }, expire_access_tokens: true })
    await page.getByRole('button', { name: 'Submit job' }).click()

    const dialog = page.getByRole('dialog', { name: 'Your session has ended' })
    await dialog.waitFor()
    expect(await dialog.getByLabel('Email').inputValue()).toBe(ADMIN.email)
    expect(await page.getByLabel('Job name').inputValue()).toBe('Held job')
    await page.getByText('Waiting for you to sign in again').waitFor()
    await screenshot(page, 're-sign-in')

    await dialog.getByLabel('Password').fill(ADMIN.password)
    await dialog.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('Job “Held job” submitted').waitFor()
    expect(await page.getByRole('dialog').count()).toBe(0)
    await jobRow('Held job').waitFor()
    // Give any duplicate a chance to show up in the list before counting.
    await page.waitForTimeout(2_500)
    expect(await jobRow('Held job').count(), 'rows of the held job').toBe(1)
    expect(created, 'answers to the job POSTs').toContain('201')
    expect(
      created.filter((status) => status === '201'),
      'job POSTs answered 201',
    ).toHaveLength(1)
    const { counters } = await mock.state()
    expect(counters.refreshes_rejected, 'refreshes rejected').toBe(1)
    expect(counters.logins, 'logins').toBe(2)
  })

  it('keeps the session across a reload', async () => {
    const mock = await freshStart()
    await signIn(page, ADMIN)
    await page.getByRole('link', { name: 'Session', exact: true }).click()
    await page.reload()
    await page.getByRole('heading', { name: 'Session', level: 1 }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/session')
    expect(await page.getByRole('status', { name: 'Session' }).innerText()).toMatch(/\d:\d\d left/)
    expect((await mock.state()).counters.logins).toBe(1)
  })

  it('a hidden tab brought back after its token expired refreshes before its next request', async () => {
    const mock = await freshStart({ access_ttl_seconds: 8 })
    await signIn(page, ADMIN)
    await page.getByRole('link', { name: 'Jobs' }).click()
    await page.getByText('No jobs yet').waitFor()

    const before = await mock.state()

    // Headless Chromium keeps a background tab 'visible' and ignores Page.setWebLifecycleState
    // for it, so the page is told it is hidden the way a browser tells it, and its script is
    // paused through the debugger: no timer runs until it comes back, as in a frozen tab.
    await setHidden(page, true)
    const cdp = await app.context.newCDPSession(page)
    await cdp.send('Debugger.enable')
    await cdp.send('Debugger.pause')
    await new Promise((resolve) => setTimeout(resolve, 12_000))

    const sent: string[] = []
    const onRequest = (request: Request) => {
      const path = new URL(request.url()).pathname
      if (path.startsWith('/api/')) sent.push(`${request.method()} ${path}`)
    }
    page.on('request', onRequest)
    await cdp.send('Debugger.resume')
    await cdp.send('Debugger.disable')
    await setHidden(page, false)
    await expect.poll(() => sent.includes('GET /api/v1/jobs'), { timeout: 15_000 }).toBe(true)
    page.off('request', onRequest)

    // The first thing the tab sends is the refresh; the poll of the jobs list comes after it.
    expect(sent[0]).toBe('POST /api/v1/auth/refresh')
    expect(sent.indexOf('POST /api/v1/auth/refresh')).toBeLessThan(sent.indexOf('GET /api/v1/jobs'))
    const after = await mock.state()
    expect(after.counters.unauthorized).toBe(before.counters.unauthorized)
    expect(after.counters.refreshes).toBe(before.counters.refreshes + 1)
    expect(after.counters.refreshes_rejected).toBe(0)
  })

  it('offers the tester toolbar in mock mode, with live counters', async () => {
    await freshStart()
    await signIn(page, ADMIN)
    await page.getByRole('link', { name: 'Session', exact: true }).click()
    await page.getByRole('button', { name: 'Mock controls' }).click()
    const toolbar = page.getByRole('complementary', { name: 'Tester toolbar' })
    await toolbar.getByRole('button', { name: 'Expire tokens' }).waitFor()
    await expect.poll(() => toolbar.locator('[data-counter="logins"]').innerText(), SOON).toBe('1')
    await toolbar.getByRole('button', { name: 'Expire tokens' }).click()
    await toolbar.getByText('Access tokens expired on the server').waitFor()
    // The next request meets a 401, the kit refreshes and retries: the counters show both.
    await page.getByRole('link', { name: 'Jobs' }).click()
    await expect
      .poll(() => toolbar.locator('[data-counter="refreshes"]').innerText(), { timeout: 10_000 })
      .toBe('1')
    expect(await toolbar.locator('[data-counter="unauthorized"]').innerText()).toBe('1')
    await page.getByRole('link', { name: 'Session', exact: true }).click()
    await page.getByText('Request retried after a 401').waitFor()
    await screenshot(page, 'toolbar')
  })
})
