import { useCallback, useMemo } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { AccessTokenClaims, AuthStatus, EndReason } from 'token-refresh-kit'
import { useAuthContext } from './useAuthContext'
import { useAuthStore } from './useAuthStore'

export interface UseAuthResult<Credentials = unknown> {
  status: AuthStatus
  user: AccessTokenClaims | null
  /** Local epoch ms at which the access token expires. */
  expiresAt: number | null
  endReason: EndReason | null
  /** Calls the provider's `login` and adopts the tokens it returns. */
  login: (credentials: Credentials) => Promise<void>
  logout: () => Promise<void>
  /** Refreshes now; `false` when the refresh failed (the session's `error` says why). */
  refreshToken: () => Promise<boolean>
}

/** The session's status and user, and the actions on it. Does not re-render on the countdown. */
export function useAuth<Credentials = unknown>(): UseAuthResult<Credentials> {
  const { session, login: callLogin } = useAuthContext('useAuth()')
  const state = useAuthStore(
    useShallow((s) => ({
      status: s.status,
      user: s.user,
      expiresAt: s.expiresAt,
      endReason: s.endReason,
    })),
  )
  const login = useCallback(
    async (credentials: Credentials) => session.setTokens(await callLogin(credentials)),
    [session, callLogin],
  )
  const logout = useCallback(() => session.logout(), [session])
  const refreshToken = useCallback(
    () =>
      session.refresh('manual').then(
        () => true,
        () => false,
      ),
    [session],
  )
  return useMemo(
    () => ({ ...state, login, logout, refreshToken }),
    [state, login, logout, refreshToken],
  )
}
