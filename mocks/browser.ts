import { setupWorker } from 'msw/browser'
import { setMockStorage } from './db'
import { handlers } from './handlers'
import { createIndexedDbStateStorage } from './indexedDbStateStorage'

// Every tab runs these handlers in its own page, so the state must live where all tabs
// of the origin see it, survive a reload, and take each request as one transaction.
setMockStorage(createIndexedDbStateStorage())

/** Where the state lived before IndexedDB; localStorage lost writes between tabs. */
const LEGACY_LOCAL_STORAGE_KEY = 'trk-mock-db'

export const worker = setupWorker(...handlers)

/** Starts the service worker; `await` it before rendering so no request escapes the mocks. */
export async function startMockWorker(): Promise<void> {
  localStorage.removeItem(LEGACY_LOCAL_STORAGE_KEY)
  await worker.start({
    onUnhandledRequest: 'bypass',
    quiet: true,
    serviceWorker: { url: '/mockServiceWorker.js' },
  })
}
