import { useState, type FormEvent } from 'react'
import { Link, Navigate, useLocation } from 'react-router'
import { useAuth } from '../../react'
import type { Credentials } from '../api/auth'
import { readApiError } from '../api/readApiError'
import { Alert } from '../components/Alert'
import { AuthCard } from '../components/AuthCard'
import { CredentialsFields } from '../components/CredentialsFields'
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
  const [lockedUntil, setLockedUntil] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const wait = useCountdown(lockedUntil)

  if (status === 'authenticated' || status === 'refreshing') return <Navigate to={from} replace />

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!email.trim() || !password) {
      setError('Enter your email and your password.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await login({ email: email.trim(), password })
    } catch (caught) {
      const info = readApiError(caught, 'Sign-in')
      if (info.status === 401) setError('Wrong email or password. Check both and try again.')
      else if (info.status === 429) {
        const seconds = info.retryAfterSeconds ?? 30
        setLockedUntil(Date.now() + seconds * 1000)
        setError(`Too many failed attempts. Wait ${seconds} seconds before trying again.`)
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
        {error && (
          <Alert>
            {error}
            {wait > 0 && <span className="alert__countdown"> ({wait} s left)</span>}
          </Alert>
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
      {mock && (
        <div className="auth__hint">
          <strong>Demo accounts</strong> (mock mode)
          <br />
          <code>admin@etl.local</code> / <code>admin123</code> — every permission
          <br />
          <code>viewer@etl.local</code> / <code>viewer123</code> — read only
        </div>
      )}
    </AuthCard>
  )
}
