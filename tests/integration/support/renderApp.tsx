import { render } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { StrictMode } from 'react'
import { createMemoryRouter } from 'react-router'
import { createMemoryStorage } from '../../../src/core'
import { App } from '../../../src/app/App'
import { createServices, type RefreshMode } from '../../../src/app/createServices'
import { routes } from '../../../src/app/routes'

export const ADMIN = { email: 'admin@etl.local', password: 'admin123' }
export const VIEWER = { email: 'viewer@etl.local', password: 'viewer123' }

/**
 * The whole app on msw/node, at `path`, optionally signed in first (through the real login
 * endpoint). Returns the services so a test can reach the session and the mock controls.
 */
export async function renderApp(
  path: string,
  options: {
    as?: { email: string; password: string }
    mocks?: boolean
    refreshMode?: RefreshMode
    /** A reload: the token storage and the history's storage of an earlier render. */
    storage?: ReturnType<typeof createMemoryStorage>
    logStorage?: Storage
  } = {},
) {
  const services = createServices({
    baseURL: window.location.origin,
    mocks: options.mocks ?? false,
    ...(options.refreshMode && { refreshMode: options.refreshMode }),
    storage: options.storage ?? createMemoryStorage(),
    // One tab: jsdom shares Node's BroadcastChannel between the tests of a file.
    tabSync: false,
    logStorage: options.logStorage ?? null,
  })
  if (options.as) services.session.setTokens(await services.auth.login(options.as))
  const router = createMemoryRouter(routes, { initialEntries: [path] })
  const user = userEvent.setup()
  const view = render(
    <StrictMode>
      <App services={services} router={router} />
    </StrictMode>,
  )
  return { ...view, services, router, user }
}
