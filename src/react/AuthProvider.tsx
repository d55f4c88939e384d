import { useEffect, useMemo, type ReactNode } from 'react'
import type { AuthSession, TokenPair } from 'token-refresh-kit'
import { AuthContext, type AuthContextValue } from './AuthContext'

export interface AuthProviderProps<Credentials> {
  session: AuthSession
  /** The app's call to its login endpoint; `useAuth().login` adopts the pair it returns. */
  login: (credentials: Credentials) => Promise<TokenPair>
  children?: ReactNode
}

/** Shares a session with the hooks below it; starts its scheduler on mount and stops it on unmount. */
export function AuthProvider<Credentials>({
  session,
  login,
  children,
}: AuthProviderProps<Credentials>) {
  useEffect(() => session.retain(), [session])
  const value = useMemo(() => ({ session, login }) as AuthContextValue, [session, login])
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}
