import { useState } from 'react'
import { useAuth } from 'token-refresh-kit/react'
import { messageOf } from './messageOf'
import type { Credentials } from './signIn'

export function SignInForm() {
  const { login, endReason } = useAuth<Credentials>()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(form: HTMLFormElement) {
    const fields = new FormData(form)
    setBusy(true)
    setError(null)
    try {
      await login({
        email: String(fields.get('email') ?? ''),
        password: String(fields.get('password') ?? ''),
      })
    } catch (failure) {
      setError(messageOf(failure))
      setBusy(false)
    }
  }

  return (
    <form
      aria-label="Sign in"
      onSubmit={(event) => {
        event.preventDefault()
        void submit(event.currentTarget)
      }}
    >
      {endReason === 'refresh-rejected' && <p>Your session has ended: sign in again.</p>}
      <label>
        Email <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  )
}
