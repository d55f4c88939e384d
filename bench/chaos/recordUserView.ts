import type { BrowserContext, Page } from 'playwright-core'

/** What a tab showed its user since the last `reset`, as `recordUserView` counts it. */
export interface UserView {
  /** `role="alert"` elements that appeared: a load or an action that failed in front of the user. */
  alerts: number
  /** Seconds during which an alert was on screen. */
  alertSeconds: number
  /** Times the tab went from signed in to the sign-in page or the re-sign-in dialog. */
  signOuts: number
  /** The last few alert texts (the app's words; they never carry a token). */
  texts: string[]
}

interface Recorder {
  view: UserView
  reset: () => void
}

// Runs in every document of the context before the page's own scripts.
function install(): void {
  const w = window as unknown as { __userView?: Recorder }
  if (w.__userView) return
  const view: UserView = { alerts: 0, alertSeconds: 0, signOuts: 0, texts: [] }
  const signedOut = () =>
    document.querySelector('dialog[open], [role="dialog"]') !== null ||
    location.pathname === '/login'
  let out = true
  let last = performance.now()
  w.__userView = {
    view,
    reset() {
      Object.assign(view, { alerts: 0, alertSeconds: 0, signOuts: 0, texts: [] })
      out = signedOut()
    },
  }
  const seen = (node: Element) => {
    view.alerts++
    view.texts = [...view.texts, (node.textContent ?? '').trim().slice(0, 160)].slice(-20)
  }
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue
        if (node.matches('[role="alert"]')) seen(node)
        node.querySelectorAll('[role="alert"]').forEach(seen)
      }
    }
  }).observe(document, { childList: true, subtree: true })
  // Sampled, not observed: a client-side route change fires no DOM event of its own.
  setInterval(() => {
    const now = performance.now()
    if (document.querySelector('[role="alert"]')) view.alertSeconds += (now - last) / 1000
    last = now
    const isOut = signedOut()
    if (isOut && !out) view.signOuts++
    out = isOut
  }, 100)
}

/** Counts, in every tab of `context`, the alerts and sign-outs its user sees. */
export async function recordUserView(context: BrowserContext): Promise<void> {
  // As source, with the name helper that tsx's transform calls inside it defined around it.
  await context.addInitScript({ content: `(() => { const __name = (f) => f; (${install})() })()` })
}

export async function resetUserView(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __userView: Recorder }).__userView.reset())
}

export async function readUserView(page: Page): Promise<UserView> {
  return page.evaluate(() => (window as unknown as { __userView: Recorder }).__userView.view)
}
