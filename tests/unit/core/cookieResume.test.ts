import { describe, expect, it } from 'vitest'
import {
  RefreshFailedError,
  createAuthSession,
  createMemoryStorage,
  focusManager,
  type AuthEvent,
  type AuthSessionOptions,
  type SessionRecord,
  type TokenPair,
} from '../../../src/core'
import { createMapKeyValueStore } from './support/createMapKeyValueStore'
import { tokenFor } from './support/jwt'
import { advance, installFakeClock, setupTestServer } from './support/harness'

setupTestServer()

type Answer = 'token' | { status: number; headers?: Record<string, string> }

/**
 * A reload in cookie mode: nothing stored, so a wake-up asks the server with a silent refresh.
 * The server gives `answers` in turn: a token while a session lives in the cookie, else a status.
 */
function reloadedTab(...answers: Answer[]) {
  return reloadedTabWith({}, ...answers)
}

function reloadedTabWith(options: AuthSessionOptions, ...answers: Answer[]) {
  let calls = 0
  const session = createAuthSession({
    storage: createMemoryStorage(),
    channel: null,
    ...options,
    refreshCredential: 'cookie',
    revoke: async () => undefined,
    refresh: async (): Promise<TokenPair> => {
      calls++
      const answer = answers.shift() ?? { status: 500 }
      if (answer === 'token') return { accessToken: tokenFor(Date.now()) }
      throw answer
    },
  })
  const events: AuthEvent[] = []
  session.onEvent((event) => events.push(event))
  const types = () => events.map((event) => event.type)
  return { session, events, types, calls: () => calls }
}

/** A live record of a token issued now, as a tab stores it. */
const recordNow = (): SessionRecord => ({
  accessToken: tokenFor(Date.now()),
  refreshToken: null,
  expiresAt: Date.now() + 300_000,
  lifetimeMs: 300_000,
})

describe('cookie mode: resuming a session that lives only in the cookie', () => {
  it('asks the server, not a record left in the tab store alone by a sign-out whose page unloaded first', async () => {
    installFakeClock()
    // The sign-out cleared storage at once; the tab store's removal was lost with its page.
    const tabStore = createMapKeyValueStore()
    const left = recordNow()
    await tabStore.set('token-refresh-kit', JSON.stringify(left))
    const { session, calls } = reloadedTabWith({ tabStore }, { status: 401 })
    session.start()
    await advance(100, 100)

    expect(calls()).toBe(1)
    expect(session.getState()).toMatchObject({ status: 'anonymous', accessToken: null })
    session.destroy()
  })

  it('takes the record another tab stored since the reload, without a call of its own', async () => {
    installFakeClock()
    const storage = createMemoryStorage()
    const tabStore = createMapKeyValueStore()
    const { session, calls } = reloadedTabWith({ storage, tabStore }, { status: 401 })
    // Another tab signs in after this one loaded with nothing stored, before its resume runs.
    const signedIn = recordNow()
    storage.setItem('token-refresh-kit', JSON.stringify(signedIn))
    await tabStore.set('token-refresh-kit', JSON.stringify(signedIn))
    session.start()
    await advance(100, 100)

    expect(calls()).toBe(0)
    expect(session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: signedIn.accessToken,
    })
    session.destroy()
  })

  it('leaves the question open after a transient failure: the error is shown and the next wake-up resumes', async () => {
    installFakeClock()
    const { session, events, types, calls } = reloadedTab({ status: 503 }, 'token')
    session.start()
    await advance(100, 100)

    expect(calls()).toBe(1)
    const { status, accessToken, error, endReason } = session.getState()
    expect({ status, accessToken, endReason }).toEqual({
      status: 'anonymous',
      accessToken: null,
      endReason: null,
    })
    expect(error).toBeInstanceOf(RefreshFailedError)
    expect(types()).toEqual(['refresh-started', 'refresh-failed'])
    expect(events[1]).toMatchObject({ transient: true, retryInMs: null })

    focusManager.onFocus()
    expect(session.getState()).toMatchObject({ status: 'refreshing', error: null })
    await advance(100, 100)

    expect(calls()).toBe(2)
    expect(session.getState()).toMatchObject({ status: 'authenticated', error: null })
    expect(types()).not.toContain('ended')
    session.destroy()
  })

  it('asks no more after the server said no session lives in the cookie', async () => {
    installFakeClock()
    const { session, types, calls } = reloadedTab({ status: 401 }, 'token')
    session.start()
    await advance(100, 100)
    focusManager.onFocus()
    focusManager.setVisible(false)
    focusManager.setVisible(true)
    await advance(60_000, 1_000)

    expect(calls()).toBe(1)
    expect(session.getState()).toMatchObject({ status: 'anonymous', error: null })
    expect(types()).toEqual(['refresh-started'])
    session.destroy()
  })

  it('waits out a Retry-After on the silent refresh: no call on a wake-up within it, a resume after it', async () => {
    installFakeClock()
    const { session, types, calls } = reloadedTab(
      { status: 503, headers: { 'retry-after': '120' } },
      'token',
    )
    session.start()
    await advance(100, 100)
    expect(types()).toEqual(['refresh-started', 'refresh-failed'])

    await advance(60_000, 1_000)
    focusManager.onFocus()
    await advance(100, 100)
    expect(calls()).toBe(1)
    expect(session.getState().status).toBe('anonymous')
    expect(types()).toEqual(['refresh-started', 'refresh-failed'])

    await advance(60_000, 1_000)
    focusManager.onFocus()
    await advance(100, 100)
    expect(calls()).toBe(2)
    expect(session.getState().status).toBe('authenticated')
    session.destroy()
  })

  it('is not stuck refreshing when wake-ups trip the breaker: the next wake-up after the pause resumes', async () => {
    installFakeClock()
    // With no token held, the breaker allows 24 calls a minute.
    const failures: Answer[] = Array.from({ length: 24 }, () => ({ status: 503 }))
    const { session, calls } = reloadedTab(...failures, 'token')
    session.start()
    await advance(100, 100)
    for (let i = 1; i < 26; i++) {
      focusManager.onFocus()
      await advance(100, 100)
    }
    // The breaker refuses the 25th and 26th wake-ups without a call.
    expect(calls()).toBe(24)
    expect(session.getState().status).toBe('anonymous')

    await advance(60_000, 1_000)
    focusManager.onFocus()
    await advance(100, 100)
    expect(calls()).toBe(25)
    expect(session.getState().status).toBe('authenticated')
    session.destroy()
  })

  it('keeps a resumed session through a later transient failure, retrying it', async () => {
    installFakeClock()
    const { session, events, calls } = reloadedTab('token', { status: 503 }, 'token')
    session.start()
    await advance(100, 100)
    const resumed = session.getState().accessToken
    expect(resumed).not.toBeNull()

    await expect(session.refresh()).rejects.toBeInstanceOf(RefreshFailedError)
    expect(session.getState()).toMatchObject({ status: 'authenticated', accessToken: resumed })
    expect(events.at(-1)).toMatchObject({ type: 'refresh-failed', transient: true })
    expect(events.at(-1)).not.toMatchObject({ retryInMs: null })

    await advance(2_000, 100)
    expect(calls()).toBe(3)
    expect(session.getState().status).toBe('authenticated')
    expect(session.getState().accessToken).not.toBe(resumed)
    session.destroy()
  })
})
