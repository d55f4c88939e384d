import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { configureMock, getMockState, resetMock, runScenario } from '../../mocks/control'
import { ADMIN, signIn } from './support/app'
import type { LaunchedChromium } from './support/chromium'
import { clearSite } from './support/clearSite'
import type { StaticServer } from './support/serveStatic'
import { startAppOnMockServer, type AppOnMockServer } from './support/startAppOnMockServer'

const MB = 1024 * 1024

// Chromium reports no upload progress for a request its service worker answers (measured: no
// `progress` event, not even at the end), so these tests run the app against the mocks over real
// HTTP (`npm run mock:server`, a build with VITE_API_URL), where the bytes go through the network
// stack and CDP can slow them down.
let app: AppOnMockServer
let site: StaticServer
let chromium: LaunchedChromium
let page: Page

beforeAll(async () => {
  app = await startAppOnMockServer('upload')
  ;({ site, chromium, page } = app)
}, 180_000)

afterAll(() => app?.close())

async function freshStart(config: Record<string, number>) {
  await clearSite(page, site.url, async () => {
    await resetMock()
    await configureMock({ job_queue_seconds: 5, job_run_seconds: 60, ...config })
  })
  await page.goto(site.url + '/login')
  await signIn(page, ADMIN)
  await page.getByRole('link', { name: 'Jobs' }).click()
}

/** Limits the page's upload to `bytesPerSecond` (CDP), as a slow uplink would, until `lift()`. */
async function throttleUpload(bytesPerSecond: number) {
  const cdp = await chromium.context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  })
  lift = async () => {
    lift = async () => {}
    await cdp.detach()
  }
}
let lift = async () => {}
afterEach(() => lift())

async function fillWithBigFile(name: string) {
  const form = page.getByRole('form', { name: 'New job' })
  await form.getByLabel('Job name').fill(name)
  await form.getByLabel('Service').selectOption('imputation')
  await form.getByLabel('Reference panel').selectOption('hrc-r1.1')
  await form.getByLabel('Input format').selectOption('vcf')
  const header = '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n'
  const buffer = Buffer.alloc(8 * MB, '20\t60343\trs1\tG\tA\n')
  buffer.write(header, 0)
  await form.getByLabel('Input file').setInputFiles({
    name: 'cohort-8mb.vcf',
    mimeType: 'text/plain',
    buffer,
  })
}

interface Seen {
  value: string | null
  text: string
}

/** Records every state the upload status goes through, as the DOM changes. */
async function recordUploadStatus(): Promise<() => Promise<Seen[]>> {
  await page.evaluate(() => {
    const seen: Array<{ value: string | null; text: string }> = []
    ;(window as unknown as { __uploadSeen: typeof seen }).__uploadSeen = seen
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Upload progress"]')
      if (!bar) return
      const value = bar.getAttribute('aria-valuenow')
      const text = document.querySelector('.upload__text')?.textContent ?? ''
      const last = seen[seen.length - 1]
      if (!last || last.value !== value || last.text !== text) seen.push({ value, text })
    }).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    })
  })
  return () => page.evaluate(() => (window as unknown as { __uploadSeen: Seen[] }).__uploadSeen)
}

const percents = (seen: Seen[]) => seen.filter((s) => s.value !== null).map((s) => Number(s.value))

describe('uploading a job’s 8 MB file in Chromium, over HTTP', () => {
  it('shows the real percent while bytes go out, then Processing…, then the job submitted, however long the upload', async () => {
    // 8 MB at 200 KB/s: about 41 s, past the API client's 30 s timeout, as on a slow uplink.
    await freshStart({ latency_ms: 1500 })
    await throttleUpload(200 * 1024)
    await fillWithBigFile('Cohort 8 MB')
    await page.getByText('cohort-8mb.vcf · 8.0 MB').waitFor()
    const seen = await recordUploadStatus()
    await page.getByRole('button', { name: 'Submit job' }).click()
    await page.getByText('Job “Cohort 8 MB” submitted').waitFor({ timeout: 120_000 })

    const states = await seen()
    const values = percents(states)
    // Many steps between the ends, each at least the one before: the bar moves with the bytes.
    expect(new Set(values.filter((v) => v > 0 && v < 100)).size).toBeGreaterThanOrEqual(10)
    expect(values).toEqual([...values].sort((a, b) => a - b))
    expect(values[0]).toBeLessThan(10)
    const sending = states.find((s) => s.value !== null && Number(s.value) >= 40)
    expect(sending?.text).toMatch(/^Uploading… \d+\.\d MB of 8\.0 MB \(\d+%\)$/)
    // All sent, the server still working: an indeterminate bar that says so.
    const processing = states.at(-1)
    expect(processing).toEqual({
      value: null,
      text: 'Processing… 8.0 MB uploaded, waiting for the server.',
    })
    expect(await page.getByRole('alert').count()).toBe(0)
    const row = page
      .getByRole('row')
      .filter({ has: page.getByText('Cohort 8 MB', { exact: true }) })
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain('cohort-8mb.vcf')
  })

  it('after a 401 mid-upload, refreshes once and sends the whole file again, the bar starting over', async () => {
    await freshStart({})
    await throttleUpload(2 * MB)
    await fillWithBigFile('Cohort resent')
    const seen = await recordUploadStatus()
    const uploads: number[] = []
    page.on('response', (response) => {
      const { pathname } = new URL(response.url())
      if (response.request().method() === 'POST' && pathname === '/api/v1/jobs')
        uploads.push(response.status())
    })
    const before = (await getMockState()).counters
    await page.getByRole('button', { name: 'Submit job' }).click()
    // Once the upload is on its way, the server stops accepting the token the tab still holds as
    // valid: the upload meets a 401. (Expired before the click, the jobs list's polling could meet
    // the 401 first, and the upload would go out with the new token.)
    await page.waitForFunction(() => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Upload progress"]')
      return Number(bar?.getAttribute('aria-valuenow') ?? 0) > 0
    })
    await runScenario({ expire_access_tokens: true })
    await page.getByText('Job “Cohort resent” submitted').waitFor({ timeout: 60_000 })

    // Playwright hands on the response events after the page has moved on: wait for the 201's.
    await expect.poll(() => uploads, { timeout: 10_000 }).toEqual([401, 201])
    // One refresh, whatever else (the list's polling) met a 401 meanwhile.
    expect((await getMockState()).counters.refreshes - before.refreshes).toBe(1)
    const { jobs } = await import('../../mocks/db').then(({ db }) => db.read())
    expect(jobs.map((job) => [job.name, job.file_name, job.file_size])).toEqual([
      ['Cohort resent', 'cohort-8mb.vcf', 8 * MB],
    ])
    // Two climbs: the first send, then the retry from its first byte.
    const states = await seen()
    const values = percents(states)
    const drops = values.filter((v, i) => i > 0 && v < values[i - 1]!)
    expect(drops).toHaveLength(1)
    // The resend climbs again with its bytes. (Processing… after either send's last byte can
    // last milliseconds: React may batch it with the response's update and never paint it; the
    // first test, with the server's latency, covers it.)
    const restart = values.findIndex((v, i) => i > 0 && v < values[i - 1]!)
    const resend = values.slice(restart)
    expect(new Set(resend.filter((v) => v > 0 && v < 100)).size).toBeGreaterThanOrEqual(3)
    expect(Math.max(...resend)).toBeGreaterThanOrEqual(75)
    expect(await page.getByRole('alert').count()).toBe(0)
  })
})
