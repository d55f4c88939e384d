import { useAuth } from 'token-refresh-kit/react'
import { PipelinesPage } from './PipelinesPage'
import { SessionStatus } from './SessionStatus'
import { SignInForm } from './SignInForm'

export function App() {
  const { status, logout } = useAuth()
  const signedIn = status === 'authenticated' || status === 'refreshing'
  return (
    <>
      <header>
        <strong>Frontend App</strong>
        <SessionStatus />
        {signedIn && (
          <button type="button" onClick={() => void logout()}>
            Sign out
          </button>
        )}
      </header>
      {signedIn ? <PipelinesPage /> : <SignInForm />}
    </>
  )
}
