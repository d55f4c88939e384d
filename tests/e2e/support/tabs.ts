import type { BrowserContext, Page, Request, Response } from 'playwright-core'
import { mockControl, setHidden, type MockSnapshot } from './app'
import { launchChromium } from './chromium'
import { serveStatic } from './serveStatic'

/** The engine's storage key and the Web Lock it refreshes under (`src/core/tabSync.ts`). */
export const SESSION_KEY = 'token-refresh-kit'
export const REFRESH_LOCK = `${SESSION_KEY}:refresh`
export const REFRESH_PATH = '/api/v1/auth/refresh'

/** Flags that keep a background tab's timers at full speed, so every tab really runs. */
export const NO_THROTTLING = [
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
]

export interface TabBrowser {
  url: string
  context: BrowserContext
  /** Opens `path` in a new tab of the one profile (the first call reuses the blank tab). */
  openTab: (path: string) => Promise<Page>
  close: () => Promise<void>
}

/**
 * A fresh Chromium profile whose tabs share one origin: the built app (`dir`, else `$E2E_DIST`
 * when a run wants its own build, else `dist/`) on its service-worker mocks, or with
 * `worker: false` a build for an HTTP backend (`VITE_API_URL`), which has no worker to wait for.
 */
export async function openTabBrowser(
  options: { args?: string[]; dir?: string; worker?: boolean } = {},
): Promise<TabBrowser> {
  const server = await serveStatic(options.dir ?? process.env.E2E_DIST ?? 'dist')
  const chromium = await launchChromium({ args: options.args ?? NO_THROTTLING })
  let blank: Page | undefined = chromium.context.pages()[0]
  return {
    url: server.url,
    context: chromium.context,
    async openTab(path) {
      const page = blank ?? (await chromium.context.newPage())
      blank = undefined
      page.on('pageerror', (error) => console.error('[page error]', error.message))
      await page.goto(server.url + path)
      // The app renders only once its mock worker is started: until then `/__mock` is not served.
      await page.waitForFunction(
        (worker) =>
          (!worker || navigator.serviceWorker?.controller !== null) &&
          (document.getElementById('root')?.childElementCount ?? 0) > 0,
        options.worker ?? true,
      )
      return page
    },
    close: async () => {
      await chromium.close()
      await server.close()
    },
  }
}

/** Mock counters, read from `page` (the mocks live in the pages and their localStorage). */
export async function counters(page: Page): Promise<MockSnapshot['counters']> {
  return (await mockControl(page).state()).counters
}

/**
 * Watches a tab's `/api` traffic: answers of 400 or more (401s apart, since the interceptor
 * recovers from them), requests that failed outright, and the refresh requests it sent.
 */
export function watchTraffic(pages: Page[]) {
  const log = {
    /** Answers under 400, per tab (in the order of `pages`). */
    ok: pages.map(() => 0),
    unauthorized: [] as string[],
    failures: [] as string[],
    aborted: [] as string[],
    refreshBodies: [] as string[],
  }
  const api = (url: string) => new URL(url).pathname.startsWith('/api/')
  const describe = (request: Request) => `${request.method()} ${new URL(request.url()).pathname}`
  const onResponse = (tab: number) => (response: Response) => {
    if (!api(response.url())) return
    const status = response.status()
    if (status < 400) log.ok[tab]!++
    else if (status === 401) log.unauthorized.push(`401 ${describe(response.request())}`)
    else log.failures.push(`${status} ${describe(response.request())}`)
  }
  const onFailed = (request: Request) => {
    if (!api(request.url())) return
    const reason = request.failure()?.errorText ?? 'unknown'
    // A page that navigates away aborts its own polling: the app's choice, not a failure.
    if (/ERR_ABORTED/.test(reason)) log.aborted.push(describe(request))
    else log.failures.push(`${reason} ${describe(request)}`)
  }
  const onRequest = (request: Request) => {
    if (new URL(request.url()).pathname === REFRESH_PATH) {
      log.refreshBodies.push(request.postData() ?? '')
    }
  }
  const responseListeners = pages.map((page, tab) => {
    const listener = onResponse(tab)
    page.on('response', listener)
    page.on('requestfailed', onFailed)
    page.on('request', onRequest)
    return listener
  })
  return {
    log,
    stop() {
      pages.forEach((page, tab) => {
        page.off('response', responseListeners[tab]!)
        page.off('requestfailed', onFailed)
        page.off('request', onRequest)
      })
    },
  }
}

/** What a tab shows: signed in, the sign-in page, or the re-sign-in dialog over a page. */
export async function screenOf(page: Page): Promise<'signed-in' | 'sign-in page' | 'dialog'> {
  return page.evaluate(() => {
    if (document.querySelector('dialog[open], [role="dialog"]')) return 'dialog'
    if (location.pathname === '/login') return 'sign-in page'
    return 'signed-in'
  })
}

/** Errors the app shows (`role="alert"`), which is what a failed request looks like to a user. */
export async function shownErrors(page: Page): Promise<string[]> {
  return page.locator('[role="alert"]').allInnerTexts()
}

/**
 * Records, inside the page every 100 ms, whether it ever showed the sign-in page or the
 * re-sign-in dialog, so that a sign-out that came and went between two looks is still seen.
 */
export async function recordSignOuts(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = []
    ;(window as unknown as { __signOuts: string[] }).__signOuts = seen
    setInterval(() => {
      const what = document.querySelector('dialog[open], [role="dialog"]')
        ? 'dialog'
        : location.pathname === '/login'
          ? 'sign-in page'
          : null
      if (what && seen[seen.length - 1] !== what) seen.push(what)
    }, 100)
  })
  return () => page.evaluate(() => (window as unknown as { __signOuts: string[] }).__signOuts)
}

/**
 * Hides a tab and stops its JavaScript, as a browser does to a background tab it freezes; the
 * returned thaw resumes it and shows it again (`visibilitychange`, then focus). Headless
 * Chromium keeps every tab visible and ignores `Page.setWebLifecycleState`, so the visibility
 * is emulated in the page and the freeze is the debugger's pause: timers stay queued meanwhile.
 */
export async function freezeTab(page: Page): Promise<() => Promise<void>> {
  await setHidden(page, true)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Debugger.enable')
  await cdp.send('Debugger.pause')
  return async () => {
    await cdp.send('Debugger.resume')
    await cdp.send('Debugger.disable')
    await cdp.detach()
    await setHidden(page, false)
    await page.bringToFront()
  }
}

/**
 * Slows the tab's JavaScript `rate` times (CDP `Emulation.setCPUThrottlingRate`), as a loaded
 * machine does; returns the undo.
 */
export async function throttleCpu(page: Page, rate: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate })
  return async () => {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 })
    await cdp.detach()
  }
}

/** The stored session record's refresh token, to tell which token a refresh request spent. */
export async function storedRefreshToken(page: Page): Promise<string | null> {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key)
    return raw ? ((JSON.parse(raw) as { refreshToken?: string }).refreshToken ?? null) : null
  }, SESSION_KEY)
}

/** Polls `read` every `interval` ms until it returns true, or throws after `timeout` ms. */
export async function waitUntil(
  read: () => Promise<boolean> | boolean,
  { timeout = 30_000, interval = 200, what = 'the condition' } = {},
): Promise<void> {
  const deadline = Date.now() + timeout
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}
