import { useContext } from 'react'
import { AuthContext, type AuthContextValue } from './AuthContext'

/** The nearest `AuthProvider`'s value; `hook` names the caller in the error when there is none. */
export function useAuthContext(hook: string): AuthContextValue {
  const value = useContext(AuthContext)
  if (!value) {
    throw new Error(
      `${hook} must be used inside <AuthProvider>: wrap your app in ` +
        '<AuthProvider session={createAuthSession(...)} login={...}>.',
    )
  }
  return value
}
