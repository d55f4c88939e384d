import type { Page } from 'playwright-core'

/** Clears `storageTypes` of `origin` (CDP's comma-separated list, e.g. `local_storage,indexeddb`). */
export async function clearStorage(page: Page, origin: string, storageTypes: string) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes })
  await cdp.detach()
}

/**
 * Leaves `page` on about:blank with nothing of `origin` kept: its cookies, localStorage and
 * IndexedDB. The app stops first, so that no scheduler or request of the last test writes to the
 * storage after it is cleared; then `reset()` (the mock's, say) runs with no page of the app
 * open. Clearing localStorage alone from the page is not enough: the tabs' record lives on in
 * IndexedDB.
 */
export async function clearSite(page: Page, origin: string, reset?: () => Promise<unknown>) {
  await page.goto('about:blank')
  await reset?.()
  await page.context().clearCookies()
  await clearStorage(page, origin, 'local_storage,indexeddb')
}
