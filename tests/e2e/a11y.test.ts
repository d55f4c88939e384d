import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from './support/axe'
import { ADMIN, fillJobForm, mockControl, openApp, signIn, type RunningApp } from './support/app'

const SOON = { timeout: 15_000, interval: 200 }
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

// One browser, every page in sequence: axe-core at 1280 px, the width of the page at 390 px.
let app: RunningApp
let page: Page

beforeAll(async () => {
  app = await openApp('/login')
  page = app.page
})

afterAll(async () => {
  await app?.close()
})

const focused = () =>
  page.evaluate(() => {
    const element = document.activeElement
    return element ? `${element.tagName.toLowerCase()} ${element.textContent?.trim() ?? ''}` : ''
  })

const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth)

/**
 * axe finds nothing serious at 1280 px nor at 390 px, where nothing scrolls sideways; with the
 * header's Menu opened there too (the nav, the user and Sign out fold behind it).
 */
async function checkPage(name: string) {
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([])
  await page.setViewportSize(PHONE)
  // Wait for layout after the resize, then measure the document, not the viewport.
  await expect.poll(scrollWidth, SOON).toBeLessThanOrEqual(PHONE.width)
  expect(await seriousViolations(page), `axe on ${name} at 390 px`).toEqual([])
  const menu = page.getByRole('button', { name: 'Menu' })
  if (await menu.isVisible()) {
    await menu.click()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    expect(await scrollWidth()).toBeLessThanOrEqual(PHONE.width)
    expect(await seriousViolations(page), `axe on ${name} at 390 px, menu open`).toEqual([])
    await menu.click()
  }
  await page.setViewportSize(DESKTOP)
}

describe('every page, by keyboard, by screen reader and on a phone', () => {
  it('passes axe-core, fits 390 px, names the tab and puts the focus on the heading', async () => {
    const mock = mockControl(page)
    await mock.reset()
    await mock.config({ job_queue_seconds: 1, job_run_seconds: 30 })
    await page.reload()
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    expect(await page.title()).toBe('Sign in · ETL Console')
    await checkPage('sign in')

    await page.getByRole('link', { name: 'Create an account' }).click()
    await expect.poll(focused, SOON).toBe('h1 Create an account')
    expect(await page.title()).toBe('Create an account · ETL Console')
    await checkPage('create an account')
    await page.goto(`${app.url}/login`)
    await page.getByRole('button', { name: 'Sign in' }).waitFor()

    await signIn(page, ADMIN)
    // Signing in unmounts the form that had the focus: the new page's heading takes it.
    await expect.poll(focused, SOON).toBe('h1 Pipelines')
    expect(await page.title()).toBe('Pipelines · ETL Console')
    await page.getByRole('article').first().waitFor()
    await checkPage('pipelines')

    await page.getByRole('link', { name: 'Jobs' }).click()
    await expect.poll(focused, SOON).toBe('h1 Jobs')
    // The longest name the form allows, with no space to break at.
    const long = 'x'.repeat(99)
    await fillJobForm(page, long)
    await page.getByRole('button', { name: 'Submit job' }).click()
    await page.getByText('submitted: it is').waitFor()
    // The outcome takes the focus from the button that disabled itself while sending.
    expect(await focused()).toMatch(/^div Job “x+” submitted/)
    await page.getByRole('row').filter({ hasText: 'running' }).waitFor({ timeout: 15_000 })
    expect(await page.title()).toBe('Jobs · ETL Console')
    await checkPage('jobs')

    await page.getByRole('link', { name: 'Queue' }).click()
    await page
      .getByRole('region', { name: /Running/ })
      .getByText(long)
      .waitFor()
    await checkPage('queue')

    await page.getByRole('link', { name: 'Session', exact: true }).click()
    await expect.poll(focused, SOON).toBe('h1 Session')
    await checkPage('session')

    await page.goto(`${app.url}/no/such/page`)
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor()
    expect(await page.title()).toBe('Page not found · ETL Console')
    await checkPage('404')
  })

  it('refuses a token lifetime out of range in place, with the mock server’s reason', async () => {
    await page.goto(`${app.url}/session`)
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null)
    await page.getByRole('heading', { level: 1, name: 'Session' }).waitFor()
    await page.getByRole('button', { name: 'Mock controls' }).click()
    const toolbar = page.getByRole('complementary', { name: 'Tester toolbar' })
    await checkPage('the open tester toolbar')
    const field = toolbar.getByLabel('Token lifetime (s)')
    for (const value of ['0', '-5', '1e9']) {
      await field.fill(value)
      await toolbar.getByRole('button', { name: 'Set lifetime' }).click()
      const reason = toolbar.getByRole('alert')
      await expect.poll(() => reason.textContent(), SOON).toMatch(/access_ttl_seconds/)
      expect(await reason.textContent()).not.toContain('is the app on its mocks')
      expect(await field.getAttribute('aria-invalid')).toBe('true')
    }
    expect((await mockControl(page).state()).config.access_ttl_seconds).toBe(300)
  })

  it('re-sign-in: a modal dialog holds the focus, Escape keeps it open, and the focus comes back', async () => {
    await page.getByRole('button', { name: 'Mock controls' }).click()
    await page.getByRole('link', { name: 'Jobs' }).click()
    await expect.poll(focused, SOON).toBe('h1 Jobs')
    await page.getByLabel('Job name').fill('Typed before the session ended')
    await mockControl(page).scenario({
      fail_next_refresh: { status: 401 },
      expire_access_tokens: true,
    })
    // The jobs list's next poll meets the 401 while the user is typing in the form.
    await page.getByLabel('Job name').focus()
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' })
    await dialog.waitFor()
    expect(await seriousViolations(page), 'axe with the dialog open').toEqual([])

    // Tab never reaches the page or the tester toolbar behind it. (Past the dialog's last
    // control a modal <dialog> lets the focus out to the browser's own UI: the body here.)
    const where = () =>
      page.evaluate(() =>
        document.activeElement?.closest('dialog')
          ? 'dialog'
          : document.activeElement === document.body
            ? 'browser'
            : `page: ${document.activeElement?.outerHTML.slice(0, 80)}`,
      )
    const seen = new Set<string>()
    for (let press = 0; press < 8; press++) {
      await page.keyboard.press('Tab')
      seen.add(await where())
    }
    expect([...seen].filter((place) => place.startsWith('page'))).toEqual([])
    expect(seen.has('dialog')).toBe(true)
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    expect(await dialog.isVisible()).toBe(true)
    await dialog.getByText('This dialog stays open').waitFor()

    await dialog.getByLabel('Password').fill(ADMIN.password)
    await dialog.getByRole('button', { name: 'Sign in' }).click()
    await dialog.waitFor({ state: 'detached' })
    // Back where the user was: in the field they were typing in, the text intact.
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement).value), SOON)
      .toBe('Typed before the session ended')
  })
})
