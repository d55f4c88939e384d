import { createContext } from 'react'
import type { AuthSession, TokenPair } from 'token-refresh-kit'

/** What `AuthProvider` shares with the hooks below it. */
export interface AuthContextValue<Credentials = unknown> {
  session: AuthSession
  login: (credentials: Credentials) => Promise<TokenPair>
}

export const AuthContext = createContext<AuthContextValue | null>(null)
