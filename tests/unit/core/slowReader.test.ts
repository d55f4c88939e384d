import { describe, expect, it } from 'vitest'
import { createAuthSession, createMemoryStorage, type TokenPair } from '../../../src/core'
import { advance, installFakeClock } from './support/harness'
import { tokenFor } from './support/jwt'

/**
 * A tab that reads the refresh's answer seconds after the server issued its token: a throttled
 * tab, a slow phone, a call answered late. The refresh function stands for the server: it issues
 * a 10 s token at once and hands it over `readAfterMs` later.
 */
function slowReader(readAfterMs: number) {
  installFakeClock(Date.UTC(2026, 0, 1, 9)) // on a whole second: `iat` loses nothing
  let refreshes = 0
  const session = createAuthSession({
    storage: createMemoryStorage(),
    channel: null,
    refresh: async (): Promise<TokenPair> => {
      refreshes++
      const pair = { accessToken: tokenFor(Date.now(), 10), refreshToken: `r${refreshes}` }
      await new Promise((done) => setTimeout(done, readAfterMs))
      return pair
    },
    revoke: async () => undefined,
  })
  // Signed in with an answer read at once: the server's clock and ours agree.
  session.setTokens({ accessToken: tokenFor(Date.now(), 10), refreshToken: 'r0' })
  session.start()
  return { session, refreshes: () => refreshes }
}

describe('a token read late', () => {
  it('counts its life from its issue, not from when the tab read it', async () => {
    const { session } = slowReader(4_000)
    await advance(1_000)
    const issuedAt = Date.now()
    const refreshed = session.refresh()
    await advance(4_000)
    await refreshed
    expect(session.getState().refreshCount).toBe(1)
    // 10 s from its issue (less the second `iat` may have lost), not 10 s from the reading.
    expect(session.getState().expiresAt).toBeLessThanOrEqual(issuedAt + 10_000)
    expect(session.getState().expiresAt).toBeGreaterThan(issuedAt + 8_000)
    session.destroy()
  })

  it('is refreshed before the server lets it expire, over many lifetimes', async () => {
    const { session, refreshes } = slowReader(2_500)
    // Each new token must be in the tab's hands before the one it replaces expires on the server.
    let expiredInUse = 0
    let serverExpiry = 0
    session.subscribe((state, previous) => {
      if (state.accessToken === previous.accessToken || !state.accessToken) return
      if (serverExpiry && Date.now() > serverExpiry) expiredInUse++
      const { exp } = JSON.parse(
        Buffer.from(state.accessToken.split('.')[1]!, 'base64url').toString(),
      ) as { exp: number }
      serverExpiry = exp * 1000
    })
    await advance(120_000, 250)
    expect(refreshes()).toBeGreaterThanOrEqual(12)
    expect(expiredInUse).toBe(0)
    session.destroy()
  })
})
