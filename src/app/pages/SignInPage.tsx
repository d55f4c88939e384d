import { useState, type FormEvent } from 'react'
import { Link, Navigate, useLocation } from 'react-router'
import { useAuth } from 'token-refresh-kit/react'
import type { Credentials } from '../api/auth'
import { readApiError } from '../api/readApiError'
import { Alert } from '../components/Alert'
import { AuthCard } from '../components/AuthCard'
import { CredentialsFields } from '../components/CredentialsFields'
import { DemoAccounts } from '../components/DemoAccounts'
import { useCountdown } from '../hooks/useCountdown'
import { useServices } from '../hooks/useServices'

export function SignInPage() {
  const { status, login } = useAuth<Credentials>()
  const { mock } = useServices()
  const location = useLocation()
  const from = (location.state as { from?: string } | null)?.from ?? '/pipelines'
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  // The server throttles each account on its own: so does the form.
  const [lockedUntil, setLockedUntil] = useState<Record<string, number>>({})
  const [busy, setBusy] = useState(false)
  const account = email.trim().toLowerCase()
  const wait = useCountdown(lockedUntil[account] ?? null)

  if (status === 'authenticated' || status === 'refreshing') return <Navigate to={from} replace />

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!email.trim() || !password) {
      setError('Enter your email and your password.')
      return
    }
    setBusy(true)
    setError(null)
    const tried = email.trim().toLowerCase()
    try {
      await login({ email: email.trim(), password })
    } catch (caught) {
      const info = readApiError(caught, 'Sign-in')
      if (info.status === 401) setError('Wrong email or password. Check both and try again.')
      else if (info.status === 429) {
        const seconds = info.retryAfterSeconds ?? 30
        setLockedUntil((locks) => ({ ...locks, [tried]: Date.now() + seconds * 1000 }))
      } else setError(info.message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <AuthCard title="Sign in" subtitle="Monitor pipelines and run imputation jobs.">
      <form className="form" onSubmit={submit} noValidate>
        <CredentialsFields
          email={email}
          password={password}
          onEmailChange={setEmail}
          onPasswordChange={setPassword}
        />
        {error && wait === 0 && <Alert>{error}</Alert>}
        {wait > 0 && (
          <>
            <Alert>
              Too many failed attempts for {account}: the server has paused sign-in for this
              account. Other accounts can sign in now.
            </Alert>
            {/* Outside the alert, so that a screen reader hears the pause once, not every second. */}
            <p className="form__countdown">
              {account} can try again in <strong>{wait} s</strong>.
            </p>
          </>
        )}
        <button
          type="submit"
          className="button button--primary button--block"
          disabled={busy || wait > 0}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="auth__switch">
        New here? <Link to="/register">Create an account</Link>
      </p>
      {/* `mockToolsBuilt` written out: a literal after Vite's replacement, so that a build for a
          backend drops DemoAccounts whole, and its source maps carry no demo password either. */}
      {(import.meta.env.DEV || !import.meta.env.VITE_API_URL) && mock && <DemoAccounts />}
    </AuthCard>
  )
}
