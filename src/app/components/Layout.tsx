import { useState } from 'react'
import { Outlet } from 'react-router'
import { useAuthStore } from 'token-refresh-kit/react'
import { useFocusMemory } from '../hooks/useFocusMemory'
import { useServices } from '../hooks/useServices'
import { Alert } from './Alert'
import { Header } from './Header'
import { ReSignInDialog } from './ReSignInDialog'
import { TesterToolbar } from './TesterToolbar'

export function Layout() {
  const { mock } = useServices()
  const waiting = useAuthStore((s) => s.status === 'ended')
  const [notice, setNotice] = useState<string | null>(null)
  const { container, restore } = useFocusMemory()
  return (
    <div className={`shell${mock ? ' shell--toolbar' : ''}`}>
      <div className="shell__page" inert={waiting} ref={container}>
        <a className="skip-link" href="#main">
          Skip to the content
        </a>
        <Header />
        <main className="main" id="main" tabIndex={-1}>
          {notice && (
            <Alert
              tone="warning"
              action={
                <button
                  type="button"
                  className="button button--ghost button--small"
                  onClick={() => setNotice(null)}
                >
                  Dismiss
                </button>
              }
            >
              {notice}
            </Alert>
          )}
          <Outlet />
        </main>
      </div>
      <ReSignInDialog
        onClosed={restore}
        onUserChanged={(previous, current) =>
          setNotice(
            `Signed in as ${current}. Requests that ${previous} made before the session ended were not sent.`,
          )
        }
      />
      {mock && <TesterToolbar controls={mock} />}
    </div>
  )
}
