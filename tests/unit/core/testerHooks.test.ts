import { describe, expect, it } from 'vitest'
import { InvalidOptionError, type AuthEvent } from '../../../src/core'
import { createDevtoolsHandle } from '../../../src/devtools/createDevtoolsHandle'
import { createHarness, installFakeClock, setupTestServer } from './support/harness'

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
})
