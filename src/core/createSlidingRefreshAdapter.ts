import {
  createRefreshAdapter,
  mapTokenResponse,
  type RefreshAdapterOptions,
} from './createRefreshAdapter'
import { RefreshRejectedError } from './errors'
import type { RefreshFn } from './types'

export type SlidingRefreshAdapterOptions = Pick<
  RefreshAdapterOptions,
  'baseURL' | 'url' | 'headers' | 'withCredentials' | 'timeoutMs' | 'fetch'
>

/**
 * The refresh call of a sliding session (seed 003): `POST /api/v1/auth/refresh` with the current
 * access token as Bearer and no body, answered `{ success, token, user }`; `success: false` ends
 * the session. The token is never put anywhere but the Authorization header.
 */
export function createSlidingRefreshAdapter(options: SlidingRefreshAdapterOptions = {}): RefreshFn {
  const where = `POST ${options.url ?? '/api/v1/auth/refresh'}`
  const mapResponse = (data: unknown) => {
    if ((data as { success?: unknown }).success === false) {
      throw new RefreshRejectedError(
        `Refresh was refused: ${where} answered success: false. The session has ended; sign in again.`,
      )
    }
    return mapTokenResponse(data)
  }
  return (refreshToken, context) => {
    const call = createRefreshAdapter({
      ...options,
      body: () => undefined,
      headers: {
        ...options.headers,
        ...(context?.accessToken && { Authorization: `Bearer ${context.accessToken}` }),
      },
      mapResponse,
    })
    return call(refreshToken, context)
  }
}
