import type { AuthSession } from 'token-refresh-kit'
import { useAuthContext } from './useAuthContext'

/** The `AuthSession` that the nearest `AuthProvider` holds. */
export function useAuthSession(): AuthSession {
  return useAuthContext('useAuthSession()').session
}
