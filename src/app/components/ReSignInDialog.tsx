import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import type { AccessTokenClaims, EndReason } from 'token-refresh-kit'
import { useAuth, useAuthSession } from 'token-refresh-kit/react'
import { readApiError } from '../api/readApiError'
import { useLastUser } from '../hooks/useLastUser'
import { useServices } from '../hooks/useServices'
import { Alert } from './Alert'
import { CredentialsFields } from './CredentialsFields'

export interface ReSignInDialogProps {
  /** Told when someone other than the previous user signed in: their held requests were dropped. */
  onUserChanged: (previous: string, current: string) => void
  /** Called once the dialog has closed, to put the focus back where it was. */
  onClosed: () => void
}

/**
 * Asks for the password over the page when the server ended the session. The page stays
 * mounted underneath, so forms keep their contents, and the engine replays the requests it
 * held once the same user is back. A modal `<dialog>`: the page and the tester toolbar are
 * out of reach while it is open. Escape does not close it, since closing it without signing
 * in would strand the requests that wait; it says so, and "Leave and start over" is the way out.
 */
export function ReSignInDialog({ onUserChanged, onClosed }: ReSignInDialogProps) {
  const { status, endReason } = useAuth()
  const lastUser = useLastUser()
  const open =
    status === 'ended' && (endReason === 'refresh-rejected' || endReason === 'ended-elsewhere')
  // Mounted afresh on every opening, so the password and the error never outlive it.
  if (!open) return null
  return (
    <ReSignInForm
      lastUser={lastUser}
      endReason={endReason}
      onUserChanged={onUserChanged}
      onClosed={onClosed}
    />
  )
}

function ReSignInForm({
  lastUser,
  endReason,
  onUserChanged,
  onClosed,
}: ReSignInDialogProps & { lastUser: AccessTokenClaims | null; endReason: EndReason | null }) {
  const session = useAuthSession()
  const dialog = useRef<HTMLDialogElement>(null)
  const [escaped, setEscaped] = useState(false)
  const closed = useRef(onClosed)
  useEffect(() => {
    closed.current = onClosed
  })

  useEffect(() => {
    const element = dialog.current
    if (!element) return
    // jsdom has no showModal(): there, the dialog is simply open.
    const show = () =>
      typeof element.showModal === 'function'
        ? element.showModal()
        : element.setAttribute('open', '')
    const keep = () => {
      // Chromium closes a dialog on a second Escape without user activation in between,
      // whatever the cancel handler says: open it again, since the session still waits.
      if (element.isConnected && !element.open) show()
    }
    element.addEventListener('close', keep)
    if (!element.open) show()
    return () => {
      element.removeEventListener('close', keep)
      // After the commit that took the page out of `inert`, so the focus can land there.
      setTimeout(() => {
        if (!element.isConnected) closed.current()
      }, 0)
    }
  }, [])
  const { auth } = useServices()
  const titleId = useId()
  const [email, setEmail] = useState(lastUser?.email ?? '')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const pair = await auth.login({ email, password })
      session.setTokens(pair)
      const now = session.getState().user
      if (lastUser && now && lastUser.sub !== now.sub) {
        onUserChanged(lastUser.email ?? String(lastUser.sub), now.email ?? String(now.sub))
      }
    } catch (caught) {
      const info = readApiError(caught, 'Sign-in')
      setError(
        info.status === 401
          ? 'Wrong email or password.'
          : info.status === 429
            ? `Too many failed attempts. Try again in ${info.retryAfterSeconds ?? 'a few'} seconds.`
            : info.message,
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={dialog}
      className="modal__panel"
      aria-labelledby={titleId}
      // A cancelled Escape keydown makes no close request at all; Chromium would grant a
      // second Escape in a row its close however the cancel event is handled.
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return
        event.preventDefault()
        setEscaped(true)
      }}
      onCancel={(event) => {
        event.preventDefault()
        setEscaped(true)
      }}
    >
      <h2 id={titleId} className="modal__title">
        Your session has ended
      </h2>
      <p className="modal__text">
        {endReason === 'ended-elsewhere'
          ? 'The session was ended from another tab.'
          : 'The server no longer accepts this session.'}{' '}
        Sign in again to carry on: nothing on this page is lost, and requests waiting for you are
        sent once you are back.
      </p>
      <form className="form" onSubmit={submit}>
        <CredentialsFields
          email={email}
          password={password}
          onEmailChange={setEmail}
          onPasswordChange={setPassword}
          focusPassword
        />
        {error && <Alert>{error}</Alert>}
        {escaped && (
          <p className="modal__note" role="status">
            This dialog stays open: closing it would drop the requests that wait for you. Sign in,
            or leave and start over.
          </p>
        )}
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <button type="button" className="button button--link" onClick={() => void session.logout()}>
          Leave and start over
        </button>
      </form>
    </dialog>
  )
}
