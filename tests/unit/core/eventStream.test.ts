import { describe, expect, it } from 'vitest'
import { createAuthSession, createMemoryStorage, type AuthEvent } from '../../../src/core'
import { tokenFor } from './support/jwt'

const pair = () => ({ accessToken: tokenFor(Date.now(), 300), refreshToken: 'r-1' })

describe('session.onEvent', () => {
  it('stamps each event with the session clock and tells every listener, even past one that throws', () => {
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      now: () => 42,
    })
    const heard: AuthEvent[] = []
    session.onEvent(() => {
      throw new Error('a broken listener')
    })
    session.onEvent((event) => heard.push(event))

    expect(() => session.setTokens(pair())).not.toThrow()

    expect(heard.length).toBeGreaterThan(0)
    expect(heard.every((event) => event.at === 42)).toBe(true)
    session.destroy()
  })

  it('stops telling a listener that unsubscribed, and anyone once the session is destroyed', async () => {
    const session = createAuthSession({
      storage: createMemoryStorage(),
      channel: null,
      revoke: async () => undefined,
    })
    const gone: AuthEvent[] = []
    const kept: AuthEvent[] = []
    session.onEvent((event) => gone.push(event))()
    session.onEvent((event) => kept.push(event))

    session.setTokens(pair())
    expect(gone).toEqual([])
    const before = kept.length
    expect(before).toBeGreaterThan(0)

    session.destroy()
    await session.logout()
    expect(kept).toHaveLength(before)
  })
})
