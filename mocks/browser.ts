import { setupWorker } from 'msw/browser'
import { setMockStorage } from './db'
import { handlers } from './handlers'
import { createLocalStorage } from './storage'

// Every tab runs these handlers in its own page, so the state must live where all tabs
// of the origin see it, and survive a reload.
setMockStorage(createLocalStorage())

export const worker = setupWorker(...handlers)

/** Starts the service worker; `await` it before rendering so no request escapes the mocks. */
export async function startMockWorker(): Promise<void> {
  await worker.start({
    onUnhandledRequest: 'bypass',
    quiet: true,
    serviceWorker: { url: '/mockServiceWorker.js' },
  })
}
