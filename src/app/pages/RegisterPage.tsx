import { useState, type FormEvent } from 'react'
import { Link, Navigate } from 'react-router'
import { useAuthSession, useAuthStore } from 'token-refresh-kit/react'
import { readApiError } from '../api/readApiError'
import { Alert } from '../components/Alert'
import { AuthCard } from '../components/AuthCard'
import { useServices } from '../hooks/useServices'

interface Fields {
  name: string
  email: string
  password: string
  role: string
}

function validate(fields: Fields): Partial<Fields> {
  const errors: Partial<Fields> = {}
  if (!fields.name.trim()) errors.name = 'Enter your name.'
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(fields.email.trim()))
    errors.email = 'Enter a valid email address.'
  if (fields.password.length < 8) errors.password = 'Use at least 8 characters.'
  return errors
}

export function RegisterPage() {
  const session = useAuthSession()
  const signedIn = useAuthStore((s) => s.status === 'authenticated' || s.status === 'refreshing')
  const { auth } = useServices()
  const [fields, setFields] = useState<Fields>({ name: '', email: '', password: '', role: 'user' })
  const [errors, setErrors] = useState<Partial<Fields>>({})
  const [error, setError] = useState<string | null>(null)
  const [taken, setTaken] = useState(false)
  const [busy, setBusy] = useState(false)

  if (signedIn) return <Navigate to="/pipelines" replace />

  const set = (key: keyof Fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [key]: e.target.value }))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found = validate(fields)
    setErrors(found)
    setError(null)
    setTaken(false)
    if (Object.keys(found).length > 0) return
    setBusy(true)
    try {
      session.setTokens(
        await auth.register({
          name: fields.name.trim(),
          email: fields.email.trim(),
          password: fields.password,
          role: fields.role,
        }),
      )
    } catch (caught) {
      const info = readApiError(caught, 'Creating the account')
      if (info.status === 409) {
        setTaken(true)
        setError('An account with this email already exists.')
      } else {
        setErrors(info.fields as Partial<Fields>)
        setError(info.message)
      }
    } finally {
      setBusy(false)
    }
  }

  const field = (key: keyof Fields, label: string, type: string, autoComplete: string) => (
    <div className="field">
      <label className="field__control">
        <span className="field__label">{label}</span>
        <input
          className={`input${errors[key] ? ' input--invalid' : ''}`}
          type={type}
          autoComplete={autoComplete}
          value={fields[key]}
          onChange={set(key)}
          aria-invalid={errors[key] ? true : undefined}
          aria-describedby={errors[key] ? `register-${key}-error` : undefined}
        />
      </label>
      {errors[key] && (
        <span className="field__error" id={`register-${key}-error`}>
          {errors[key]}
        </span>
      )}
    </div>
  )

  return (
    <AuthCard title="Create an account" subtitle="Start submitting jobs and following pipelines.">
      <form className="form" onSubmit={submit} noValidate>
        {field('name', 'Name', 'text', 'name')}
        {field('email', 'Email', 'email', 'username')}
        {field('password', 'Password', 'password', 'new-password')}
        <label className="field">
          <span className="field__label">Role</span>
          <select className="input" value={fields.role} onChange={set('role')}>
            <option value="user">Analyst: submit jobs and run pipelines</option>
            <option value="viewer">Viewer: read only</option>
          </select>
        </label>
        {error && (
          <Alert>
            {error} {taken && <Link to="/login">Sign in instead</Link>}
          </Alert>
        )}
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p className="auth__switch">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </AuthCard>
  )
}
