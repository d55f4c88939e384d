import { useEffect, useState } from 'react'
import type { AccessTokenClaims } from 'token-refresh-kit'
import { useAuthSession } from 'token-refresh-kit/react'

/** The last signed-in user, kept after the session ends, to prefill the re-sign-in dialog. */
export function useLastUser(): AccessTokenClaims | null {
  const session = useAuthSession()
  const [user, setUser] = useState(() => session.getState().user)
  useEffect(
    () =>
      session.subscribe((state) => {
        if (state.user) setUser(state.user)
      }),
    [session],
  )
  return user
}
