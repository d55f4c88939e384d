import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { BrowserContext, Page, Response } from 'playwright-core'
import type { MockStateSnapshot } from '../../../mocks/control'
import { launchChromium } from './chromium'
import { serveStatic } from './serveStatic'

export const ADMIN = { email: 'admin@etl.local', password: 'admin123' }
export const VIEWER = { email: 'viewer@etl.local', password: 'viewer123' }

export interface RunningApp {
  url: string
  context: BrowserContext
  page: Page
  close: () => Promise<void>
}

/** The built app (`dist/`) on a static server, in a fresh Chromium, on its service-worker mocks. */
export async function openApp(path = '/login'): Promise<RunningApp> {
  const server = await serveStatic('dist')
  const chromium = await launchChromium({
    // A hidden test tab must keep its timers at full speed unless a test freezes it on purpose.
    args: ['--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  })
  const page = chromium.context.pages()[0] ?? (await chromium.context.newPage())
  page.on('pageerror', (error) => console.error('[page error]', error.message))
  await page.goto(server.url + path)
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null)
  return {
    url: server.url,
    context: chromium.context,
    page,
    close: async () => {
      await chromium.close()
      await server.close()
    },
  }
}

export type MockSnapshot = MockStateSnapshot

async function control(page: Page, path: string, body?: unknown): Promise<MockSnapshot> {
  return page.evaluate(
    async ({ path, body }) => {
      const response = await fetch(`/__mock/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!response.ok) throw new Error(`/__mock/${path} answered ${response.status}`)
      return response.json()
    },
    { path, body },
  )
}

/** The mock control API, called from the page so that it reaches the service worker. */
export function mockControl(page: Page) {
  return {
    state: () => control(page, 'state'),
    config: (config: Record<string, number>) => control(page, 'config', config),
    scenario: (scenario: Record<string, unknown>) => control(page, 'scenario', scenario),
    reset: () => control(page, 'reset', {}),
  }
}

export async function signIn(page: Page, credentials = ADMIN): Promise<void> {
  await page.getByLabel('Email').fill(credentials.email)
  await page.getByLabel('Password').fill(credentials.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
}

/** Fills the job form; the file is made from a Buffer. */
export async function fillJobForm(
  page: Page,
  name: string,
  fileName = 'cohort.vcf',
): Promise<void> {
  const form = page.getByRole('form', { name: 'New job' })
  await form.getByLabel('Job name').fill(name)
  await form.getByLabel('Service').selectOption('imputation')
  await form.getByLabel('Reference panel').selectOption('hrc-r1.1')
  await form.getByLabel('Input format').selectOption('vcf')
  await form.getByLabel('Genome build').selectOption('hg38')
  await form.getByLabel('Input file').setInputFiles({
    name: fileName,
    mimeType: 'text/plain',
    buffer: Buffer.from('##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n20\t60343\trs1\tG\tA\n'),
  })
}

/**
 * Records every answer of 400 or more to an `/api` request, minus the ones the caller
 * expects, and every error the app shows.
 */
export function watchFailures(page: Page, expected: (response: Response) => boolean = () => false) {
  const failures: string[] = []
  const onResponse = (response: Response) => {
    const url = new URL(response.url())
    if (!url.pathname.startsWith('/api/') || response.status() < 400 || expected(response)) return
    failures.push(`${response.status()} ${response.request().method()} ${url.pathname}`)
  }
  page.on('response', onResponse)
  return {
    failures,
    async shownErrors(): Promise<string[]> {
      return page.locator('[role="alert"]').allInnerTexts()
    },
    stop: () => page.off('response', onResponse),
  }
}

const SCREENSHOTS = resolve('docs/screenshots')

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({
    path: resolve(SCREENSHOTS, `${name}.png`),
    fullPage,
    animations: 'disabled',
  })
}

/**
 * Hides or shows the page as far as its scripts can tell. Headless Chromium keeps every tab
 * visible, so `visibilityState` is emulated and `visibilitychange` dispatched.
 */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    const doc = document as Document & { __hidden?: boolean }
    if (!('__hidden' in doc)) {
      Object.defineProperty(document, 'visibilityState', {
        get: () => (doc.__hidden ? 'hidden' : 'visible'),
      })
      Object.defineProperty(document, 'hidden', { get: () => doc.__hidden === true })
    }
    doc.__hidden = hide
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)
}
