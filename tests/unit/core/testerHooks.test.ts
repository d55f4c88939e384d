import { describe, expect, it } from 'vitest'
import {
  InvalidOptionError,
  createAuthSession,
  createMemoryStorage,
  type AuthEvent,
} from '../../../src/core'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'
import { createHarness, flush, installFakeClock, setupTestServer } from './support/harness'
import { makeJwt } from './support/jwt'

setupTestServer()

describe('the tester hooks', () => {
  it('are not on the session an app holds: no emit to forge `ended`, no forceExpire', () => {
    const { session } = createHarness()
    const reachable = session as unknown as Record<string, unknown>

    for (const name of ['emit', 'forceExpire', 'invalidateAccessToken']) {
      expect(reachable[name]).toBeUndefined()
    }
    expect(Object.getOwnPropertySymbols({ ...session })).toEqual([])
    expect(session.getState().status).toBe('authenticated')
  })

  it('reach the session through createDevtoolsHandle, and the stream says what a tester did', () => {
    installFakeClock()
    const { session, events } = createHarness()

    createDevtoolsHandle(session).forceExpire()

    expect(session.peekAccessToken()).toBeNull()
    expect(events.map((event: AuthEvent) => event.type)).toContain('expired')
  })

  it('refuse a copy of the session, saying which session to pass', () => {
    const { session } = createHarness()

    const copy = () => createDevtoolsHandle({ ...session })

    expect(copy).toThrow(InvalidOptionError)
    expect(copy).toThrow(/pass the session that createAuthSession\(\) returned/)
  })

  it('do nothing to a session nobody is signed in to', () => {
    const { session, events } = createHarness({ signIn: false })
    const tester = createDevtoolsHandle(session)

    tester.forceExpire()
    tester.invalidateAccessToken()

    expect(session.getState()).toMatchObject({ status: 'anonymous', expiresAt: null })
    expect(events).toEqual([])
  })

  it('store what they did, so a reload sees the expired or tampered token', () => {
    installFakeClock()
    const { session, storage } = createHarness()
    const tester = createDevtoolsHandle(session)
    const reload = () => createAuthSession({ storage, channel: null }).getState()

    tester.invalidateAccessToken()
    expect(reload()).toMatchObject({
      accessToken: session.getState().accessToken,
      expiresAt: session.getState().expiresAt,
    })

    tester.forceExpire()
    expect(reload()).toMatchObject({
      accessToken: session.getState().accessToken,
      expiresAt: Date.now(),
    })
  })

  it('report a forced expiry once: the scheduler that then finds the token expired says no more', async () => {
    installFakeClock()
    const { server, session, events } = createHarness()

    createDevtoolsHandle(session).forceExpire()
    session.start()
    await flush()

    expect(server.state.counters.refreshes).toBe(1)
    expect(events.filter((event) => event.type === 'expired')).toEqual([
      expect.objectContaining({ forced: true }),
    ])
  })

  it.each([
    ['a JWT signature that starts with A', makeJwt({ exp: 4e9 }, 'AxyzB')],
    ['a JWT signature that ends with A', makeJwt({ exp: 4e9 }, 'BxyzA')],
    ['an opaque token that ends with A', 'opaque-tokenA'],
    ['an opaque token that starts with A', 'Aopaque-token'],
  ])('change %s, keeping its expiry', (_kind, accessToken) => {
    const session = createAuthSession({ storage: createMemoryStorage(), channel: null })
    session.setTokens({ accessToken, refreshToken: 'r-1', expiresIn: 300 })
    const { expiresAt } = session.getState()

    createDevtoolsHandle(session).invalidateAccessToken()

    expect(session.getState().accessToken).not.toBe(accessToken)
    expect(session.getState().expiresAt).toBe(expiresAt)
    session.destroy()
  })
})
