import type { SessionHost } from './SessionHost'
import type { SessionRecord } from './types'

/**
 * Runs the app's user loader (`user: async ({ accessToken }) => ...`) once per sign-in at a
 * time. Its answer is kept only if the same sign-in still holds when it comes: stored with the
 * tokens and sent to the other tabs (`announce`).
 */
export function createUserLoader(
  { config, store, reader, epoch, own, persist }: SessionHost,
  announce: (record: SessionRecord) => void,
) {
  const { userSource } = config
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
          const current = own()
          if (!user || typeof user !== 'object' || !current) return
          store.setState({ user })
          const record = reader.withUser(current, user)
          persist(record)
          announce(record)
        },
        () => {
          if (epoch() === startedIn) loadingIn = -1
        },
      )
  }
}
