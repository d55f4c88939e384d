import { useEffect, useMemo, type ReactNode } from 'react'
import type { AuthSession, TokenPair } from 'token-refresh-kit'
import { AuthContext, type AuthContextValue } from './AuthContext'

export interface AuthProviderProps<Credentials> {
  session: AuthSession
  /** The app's call to its login endpoint; `useAuth().login` adopts the pair it returns. */
  login: (credentials: Credentials) => Promise<TokenPair>
  children?: ReactNode
}

const mounts = new WeakMap<AuthSession, { count: number; stopPending: boolean }>()

// StrictMode mounts, unmounts and mounts again in one go. Stopping is deferred by a microtask
// so that this flap neither stops nor restarts the scheduler: start() runs once per real mount.
function retain(session: AuthSession): () => void {
  const entry = mounts.get(session) ?? { count: 0, stopPending: false }
  mounts.set(session, entry)
  entry.count += 1
  if (entry.stopPending) entry.stopPending = false
  else if (entry.count === 1) session.start()
  return () => {
    entry.count -= 1
    if (entry.count > 0) return
    entry.stopPending = true
    queueMicrotask(() => {
      if (!entry.stopPending) return
      entry.stopPending = false
      session.stop()
    })
  }
}

/** Shares a session with the hooks below it; starts its scheduler on mount and stops it on unmount. */
export function AuthProvider<Credentials>({
  session,
  login,
  children,
}: AuthProviderProps<Credentials>) {
  useEffect(() => retain(session), [session])
  const value = useMemo(() => ({ session, login }) as AuthContextValue, [session, login])
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}
