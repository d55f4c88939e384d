import { SessionCountdown, useAuth, useAuthStore } from 'token-refresh-kit/react'

/** The session as the user sees it: who, its state, the token's time left, the refreshes so far. */
export function SessionStatus() {
  const { status, user } = useAuth()
  const refreshCount = useAuthStore((state) => state.refreshCount)
  const signedIn = status === 'authenticated' || status === 'refreshing'
  return (
    <section role="status" aria-label="Session">
      {signedIn ? (
        <>
          {String(user?.email ?? '')} · {status} · token expires in <SessionCountdown /> · refreshed{' '}
          {refreshCount} {refreshCount === 1 ? 'time' : 'times'}
        </>
      ) : (
        'Signed out'
      )}
    </section>
  )
}
