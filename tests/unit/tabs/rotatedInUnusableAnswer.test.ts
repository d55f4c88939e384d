import { describe, expect, it } from 'vitest'
import {
  InvalidRefreshResponseError,
  createAuthSession,
  createMemoryStorage,
  createWebLockCoordinator,
  type RefreshFn,
} from '../../../src/core'
import { installFakeClock } from '../core/support/harness'
import { createMapKeyValueStore } from '../core/support/createMapKeyValueStore'
import { tokenFor } from '../core/support/jwt'
import { createFakeLocks } from './support/fakes'

describe('a refresh token rotated in an answer whose access token cannot be used', () => {
  it('is what the next tab sends, though its own storage still holds the spent one: no reuse', async () => {
    installFakeClock()
    const presented: (string | null)[] = []
    // Rotating refresh tokens: the first answer's access token is unusable, its rotation is real.
    const refresh: RefreshFn = async (refreshToken) => {
      presented.push(refreshToken)
      if (refreshToken === 'r-1') return { accessToken: 'not-a-jwt', refreshToken: 'r-2' }
      if (refreshToken === 'r-2') return { accessToken: tokenFor(Date.now()), refreshToken: 'r-3' }
      throw new Error(`refresh token ${refreshToken} reused`)
    }
    const tabStore = createMapKeyValueStore()
    const locks = createFakeLocks()
    // Each tab its own storage and no channel: what a tab has seen of the other's writes so far.
    const [first, second] = [1, 2].map(() =>
      createAuthSession({
        storage: createMemoryStorage(),
        tabStore,
        coordinator: createWebLockCoordinator(locks, tabStore),
        channel: null,
        refresh,
        revoke: async () => undefined,
      }),
    )
    const pair = { accessToken: tokenFor(Date.now()), refreshToken: 'r-1' }
    first!.setTokens(pair)
    second!.setTokens(pair)

    await expect(first!.refresh()).rejects.toBeInstanceOf(InvalidRefreshResponseError)
    await second!.refresh()

    expect(presented).toEqual(['r-1', 'r-2'])
    expect(second!.getState()).toMatchObject({ status: 'authenticated', refreshToken: 'r-3' })
    for (const tab of [first, second]) tab!.destroy()
  })
})
