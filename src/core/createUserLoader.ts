import type { AccessTokenClaims, UserSource } from './types'

interface UserLoaderHost {
  userSource: UserSource
  /** Bumped by every sign-in and sign-out: a user loaded for an earlier one is dropped. */
  epoch(): number
  /** Stores the loaded user with the session and tells the other tabs. */
  keep(user: AccessTokenClaims): void
}

/**
 * Runs the app's user loader (`user: async ({ accessToken }) => ...`) once per sign-in at a
 * time; its answer is kept only if the same sign-in still holds when it comes.
 */
export function createUserLoader({ userSource, epoch, keep }: UserLoaderHost) {
  let loadingIn = -1
  return (accessToken: string, idToken: string | null) => {
    if (typeof userSource !== 'function' || loadingIn === epoch()) return
    const startedIn = (loadingIn = epoch())
    Promise.resolve()
      .then(() => userSource({ accessToken, idToken }))
      .then(
        (user) => {
          if (epoch() !== startedIn) return
          loadingIn = -1
          if (user && typeof user === 'object') keep(user)
        },
        () => {
          if (epoch() === startedIn) loadingIn = -1
        },
      )
  }
}
