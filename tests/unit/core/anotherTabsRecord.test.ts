import { describe, expect, it, vi } from 'vitest'
import {
  createAuthSession,
  createMemoryStorage,
  type RefreshFn,
  type TokenStorage,
} from '../../../src/core'
import { createListenedChannel } from './support/createListenedChannel'
import { installFakeClock, setupTestServer } from './support/harness'
import { tokenFor } from './support/jwt'

setupTestServer()

/** A tab whose messages the test delivers: `deliver` hands it another tab's refresh. */
function openTab(storage: TokenStorage, refresh?: RefreshFn) {
  const { channel, deliver } = createListenedChannel()
  const session = createAuthSession({ storage, channel, refresh, tabStore: null })
  return { session, deliver }
}

/** Another tab's refresh made `agoMs` ago, as its message carries it. */
function refreshedAgo(agoMs: number, refreshToken: string) {
  return {
    accessToken: tokenFor(Date.now() - agoMs),
    refreshToken,
    expiresAt: Date.now() - agoMs + 300_000,
    lifetimeMs: 300_000,
  }
}

const reload = (storage: TokenStorage) =>
  createAuthSession({ storage, channel: null, tabStore: null }).getState()

describe("another tab's refresh, received as a message", () => {
  it("is kept on this tab's own storage, so a reload of this tab restores it", () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const { session, deliver } = openTab(storage)
    session.setTokens({ accessToken: tokenFor(Date.now()), refreshToken: 'r1' })
    vi.advanceTimersByTime(150_000)

    const record = refreshedAgo(1_000, 'r2')
    deliver({ type: 'tokens', record, signIn: false })

    expect(session.getState().accessToken).toBe(record.accessToken)
    expect(reload(storage)).toMatchObject({ accessToken: record.accessToken, refreshToken: 'r2' })
  })

  it('never overwrites a newer session on shared storage: a reload presents the newest refresh token', async () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const { session, deliver } = openTab(storage)
    session.setTokens({ accessToken: tokenFor(Date.now()), refreshToken: 'r1' })
    vi.advanceTimersByTime(150_000)
    // A third tab on the same storage refreshes now; its message has not reached this tab.
    const newest = tokenFor(Date.now())
    const third = openTab(storage, async () => ({ accessToken: newest, refreshToken: 'r3' }))
    await third.session.refresh()
    third.session.destroy()

    // A late message: a refresh from before the third tab's, newer than what this tab holds.
    const late = refreshedAgo(100_000, 'r2')
    deliver({ type: 'tokens', record: late, signIn: false })

    expect(session.getState().accessToken).toBe(late.accessToken)
    expect(reload(storage)).toMatchObject({ accessToken: newest, refreshToken: 'r3' })
  })
})
