import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter } from 'react-router'
import { App } from './App'
import { createServices } from './createServices'
import { routes } from './routes'
import './styles.css'

const apiURL: string | undefined = import.meta.env.VITE_API_URL
const mocksEnabled = !apiURL

// The mocks are a dynamic import, so a build for a real backend (VITE_API_URL set) has none.
async function enableMocking(): Promise<void> {
  if (!mocksEnabled) return
  const { startMockWorker } = await import('../../mocks/browser')
  await startMockWorker()
}

// The devtools bridge for the extension, and the switches for testers: dev and mock builds only.
const devtools = import.meta.env.DEV || mocksEnabled

// `?tabsync=off` opens a tab without cross-tab coordination (no Web Lock, no channel), the
// baseline that `bench/tabs.ts` measures the kit against.
const tabSync = !devtools || new URLSearchParams(window.location.search).get('tabsync') !== 'off'

function render(): void {
  const services = createServices({ baseURL: apiURL ?? '', mocks: mocksEnabled, tabSync })
  if (devtools) {
    void import('../core/devtools/installDevtoolsBridge').then(({ installDevtoolsBridge }) =>
      installDevtoolsBridge(services.session, services.mock ? { mock: services.mock } : {}),
    )
  }
  const router = createBrowserRouter(routes)
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App services={services} router={router} />
    </StrictMode>,
  )
}

enableMocking().then(render, (error: unknown) => {
  console.error('[etl-console] the mock service worker did not start:', error)
  document.getElementById('root')!.textContent =
    'The mock backend did not start. Reload the page; if it persists, check the console.'
})
