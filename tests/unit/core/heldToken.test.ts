import { describe, expect, it } from 'vitest'
import {
  createAuthSession,
  createBroadcastSessionChannel,
  createMemoryStorage,
  createWebLockCoordinator,
} from '../../../src/core'
import { createFakeBroadcastHub, createFakeLocks } from '../tabs/support/fakes'
import { flush, installFakeClock, setupTestServer } from './support/harness'
import { tokenFor } from './support/jwt'

setupTestServer()

const KEY = 'token-refresh-kit'
const OPAQUE = 'opaque-access-token'

/** Storage holding the record of a session with five minutes left, `fields` written over it. */
function createStorageHolding(fields: Record<string, unknown>) {
  const storage = createMemoryStorage()
  const record = {
    accessToken: tokenFor(Date.now(), 300),
    refreshToken: 'r-1',
    expiresAt: Date.now() + 300_000,
    lifetimeMs: 300_000,
  }
  storage.setItem(KEY, JSON.stringify({ ...record, ...fields }))
  return storage
}

/** Tabs sharing a lock manager and channel but not storage: only a hand-over signs a new tab in. */
function createTabs() {
  const hub = createFakeBroadcastHub()
  const locks = createFakeLocks()
  const tabs: ReturnType<typeof createAuthSession>[] = []
  const openTab = (storage = createMemoryStorage()) => {
    const tab = createAuthSession({
      storage,
      coordinator: createWebLockCoordinator(locks),
      channel: createBroadcastSessionChannel(new hub.FakeChannel(KEY)),
    })
    tabs.push(tab)
    return tab
  }
  const close = () => tabs.forEach((tab) => tab.destroy())
  return { openTab, close }
}

describe('the token a session holds', () => {
  it.each([
    ['an expiry that is not a number', { expiresAt: '2026-01-01' }],
    ['no lifetime', { lifetimeMs: undefined }],
  ])('is not restored from a stored record with %s', (_what, broken) => {
    installFakeClock()
    const storage = createStorageHolding(broken)

    const session = createAuthSession({ storage, channel: null })

    expect(session.getState()).toMatchObject({ status: 'anonymous', accessToken: null })
  })

  it.each([
    ['missing', undefined],
    ['not a string', 42],
  ])(
    'comes back from storage with no refresh token when the stored one is %s',
    (_what, refreshToken) => {
      installFakeClock()
      const accessToken = tokenFor(Date.now(), 300)
      const storage = createStorageHolding({ accessToken, refreshToken })

      const session = createAuthSession({ storage, channel: null })

      expect(session.getState()).toMatchObject({ status: 'authenticated', accessToken })
      expect(session.getState().refreshToken).toBeNull()
    },
  )

  it('comes back from storage without its refresh token when the refresh token is a cookie', () => {
    installFakeClock()
    const accessToken = tokenFor(Date.now(), 300)
    // Stored before the app moved its refresh token to a cookie.
    const storage = createStorageHolding({ accessToken, refreshToken: 'r-1' })

    const session = createAuthSession({ storage, channel: null, refreshCredential: 'cookie' })

    expect(session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken,
      refreshToken: null,
    })
  })

  it('is handed to a new tab when opaque, still marked opaque', async () => {
    installFakeClock()
    const { openTab, close } = createTabs()
    openTab().setTokens({ accessToken: OPAQUE, refreshToken: 'r-1', expiresIn: 300 })

    const second = openTab()
    await flush()

    expect(second.getState()).toMatchObject({ status: 'authenticated', accessToken: OPAQUE })
    close()
  })

  it('is handed to a new tab still marked opaque after a reload', async () => {
    installFakeClock()
    const { openTab, close } = createTabs()
    const reloaded = openTab(createStorageHolding({ accessToken: OPAQUE, opaque: true }))
    expect(reloaded.getState().status).toBe('authenticated')

    const second = openTab()
    await flush()

    expect(second.getState()).toMatchObject({ status: 'authenticated', accessToken: OPAQUE })
    close()
  })
})
