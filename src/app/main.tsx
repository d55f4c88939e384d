import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { installDevtoolsBridge } from 'token-refresh-kit/devtools'
import { createBrowserRouter } from 'react-router'
import { App } from './App'
import { createServices, parseRefreshMode, type RefreshMode } from './createServices'
import { hasMockControls } from './mockControls'
import { routes } from './routes'
import './styles.css'

// Unset: the app runs on the service-worker mocks. A URL, or '/' for a backend on the page's own
// origin: the app talks HTTP to it, and a build carries no mock tooling at all.
const apiURL: string | undefined = import.meta.env.VITE_API_URL || undefined
const baseURL = (apiURL ?? '').replace(/\/+$/, '')
// Literals after Vite's replacement, so that Rolldown drops the dynamic imports they guard from a
// build for a backend (and the bridge it guards). (`devtools` is `mockToolsBuilt` written out: an imported constant is
// inlined too late to drop a dynamic import's chunk.)
const mocksEnabled = !import.meta.env.VITE_API_URL
// `json` (the contract), `cookie` (an HttpOnly refresh cookie), `sliding` (seed 003) or `oauth`
// (refresh and revoke at the mocks' RFC 6749 / 7009 endpoints). Against a
// backend it must match the backend (`MOCK_REFRESH_MODE` for `npm run mock:server`); the
// service-worker mocks are set to it at start.
const refreshMode: RefreshMode = parseRefreshMode(import.meta.env.VITE_REFRESH_MODE)
const devtools = import.meta.env.DEV || !import.meta.env.VITE_API_URL

/** Starts the service-worker mocks, or in dev finds the control API of the backend. */
async function enableMocking(): Promise<boolean> {
  if (mocksEnabled) {
    const { startMockWorker } = await import('../../mocks/browser')
    await startMockWorker()
    const response = await fetch('/__mock/config', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // The OAuth endpoints are always there; their refresh tokens are the contract's.
      body: JSON.stringify({ refresh_mode: refreshMode === 'oauth' ? 'json' : refreshMode }),
    })
    if (!response.ok) throw new Error(`the mocks refused refresh_mode ${refreshMode}`)
    return true
  }
  if (!devtools) return false
  if (await hasMockControls(baseURL)) return true
  console.info(
    `[etl-console] ${baseURL || window.location.origin} serves no mock control API (/__mock/state): ` +
      'the tester toolbar, the demo-account hint and the extension’s mock controls are off. ' +
      'They work against `npm run mock:server`.',
  )
  return false
}

// `?tabsync=off` opens a tab without cross-tab coordination (no Web Lock, no channel), the
// baseline that `bench/tabs.ts` measures the kit against.
const tabSync = !devtools || new URLSearchParams(window.location.search).get('tabsync') !== 'off'

function render(mocks: boolean): void {
  const services = createServices({ baseURL, mocks, tabSync, refreshMode })
  if (devtools) {
    installDevtoolsBridge(services.session, services.mock ? { mock: services.mock } : {})
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
