import ky from 'ky'
import { createAuthFetch, isAuthKitError } from 'token-refresh-kit'
import { API_URL } from './config'
import { session } from './session'

/** ky over the session's fetch: the token attached, a 401 answered by one refresh and one retry. */
export const api = ky.create({
  prefixUrl: API_URL,
  fetch: createAuthFetch(session, { baseURL: API_URL }),
  // The kit has refreshed and retried already: a ky retry of its error would refresh again.
  retry: { shouldRetry: ({ error }) => (isAuthKitError(error) ? false : undefined) },
})
