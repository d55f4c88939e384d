import type { ReactNode } from 'react'
import type { AuthState } from 'token-refresh-kit'
import { useAuthStore } from './useAuthStore'

export interface RequireAuthProps {
  children?: ReactNode
  /** Shown instead of the children when nobody is signed in (a redirect to the sign-in page). */
  fallback?: ReactNode
}

// A session that ended on the server's word (not a sign-out) keeps the page mounted: the app
// asks for the password over it, and what the user typed survives.
function keepsPage(state: AuthState): boolean {
  if (state.status === 'authenticated' || state.status === 'refreshing') return true
  return (
    state.status === 'ended' &&
    (state.endReason === 'refresh-rejected' || state.endReason === 'ended-elsewhere')
  )
}

/** Renders its children for a signed-in user (or one asked to sign in again), else `fallback`. */
export function RequireAuth({ children, fallback = null }: RequireAuthProps) {
  const allowed = useAuthStore(keepsPage)
  return <>{allowed ? children : fallback}</>
}
