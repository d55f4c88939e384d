import { useState } from 'react'
import { Outlet } from 'react-router'
import { useAuthStore } from '../../react'
import { useServices } from '../hooks/useServices'
import { Alert } from './Alert'
import { Header } from './Header'
import { ReSignInDialog } from './ReSignInDialog'
import { TesterToolbar } from './TesterToolbar'

export function Layout() {
  const { mock } = useServices()
  const waiting = useAuthStore((s) => s.status === 'ended')
  const [notice, setNotice] = useState<string | null>(null)
  return (
    <div className={`shell${mock ? ' shell--toolbar' : ''}`}>
      <div className="shell__page" inert={waiting}>
        <Header />
        <main className="main">
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
