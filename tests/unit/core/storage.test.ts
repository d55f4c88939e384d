import { describe, expect, it, vi } from 'vitest'
import {
  createAuthSession,
  createLocalStorage,
  createMemoryStorage,
  createSessionStorage,
} from '../../../src/core'
import { makeJwt } from './support/jwt'

class FakeWebStorage implements Storage {
  #items = new Map<string, string>()
  failWrites = false
  get length() {
    return this.#items.size
  }
  clear() {
    this.#items.clear()
  }
  key(index: number) {
    return [...this.#items.keys()][index] ?? null
  }
  getItem(key: string) {
    return this.#items.get(key) ?? null
  }
  setItem(key: string, value: string) {
    if (this.failWrites) throw new DOMException('quota', 'QuotaExceededError')
    this.#items.set(key, value)
  }
  removeItem(key: string) {
    this.#items.delete(key)
  }
}

const pair = { accessToken: makeJwt({ sub: 'u', iat: 1, exp: 301 }), refreshToken: 'r1' }

describe('storage adapters', () => {
  it.each([
    ['memory', () => createMemoryStorage()],
    ['localStorage', () => createLocalStorage(new FakeWebStorage())],
    ['sessionStorage', () => createSessionStorage(new FakeWebStorage())],
  ])('%s stores, reads and removes', (_name, create) => {
    const storage = create()
    expect(storage.getItem('k')).toBeNull()
    storage.setItem('k', 'v')
    expect(storage.getItem('k')).toBe('v')
    storage.removeItem('k')
    expect(storage.getItem('k')).toBeNull()
  })

  it('keeps the session working when Web Storage refuses writes', () => {
    const web = new FakeWebStorage()
    web.failWrites = true
    const session = createAuthSession({ storage: createLocalStorage(web), channel: null })
    session.setTokens(pair)
    expect(session.getState().status).toBe('authenticated')
    expect(session.peekAccessToken()).toBe(pair.accessToken)
  })

  it('says what to use where Web Storage does not exist', () => {
    expect(() => createLocalStorage(undefined)).toThrow(
      '[token-refresh-kit] localStorage is not available here; use createMemoryStorage() instead.',
    )
  })

  it('falls back to memory by default outside a browser: a reload finds no session', () => {
    expect(globalThis.localStorage).toBeUndefined()
    const session = createAuthSession({ channel: null })
    session.setTokens(pair)
    expect(session.getState().refreshToken).toBe('r1')
    const reloaded = createAuthSession({ channel: null })
    expect(reloaded.getState()).toMatchObject({ status: 'anonymous', accessToken: null })
  })

  it('keeps the session in localStorage by default where there is one', () => {
    const web = new FakeWebStorage()
    vi.stubGlobal('localStorage', web)
    try {
      createAuthSession({ channel: null }).setTokens(pair)
      expect(JSON.parse(web.getItem('token-refresh-kit') ?? '')).toMatchObject({
        refreshToken: 'r1',
      })
      expect(createAuthSession({ channel: null }).getState().refreshToken).toBe('r1')
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('stores a JSON record under storageKey and removes it on logout', async () => {
    const web = new FakeWebStorage()
    const session = createAuthSession({
      storage: createLocalStorage(web),
      storageKey: 'my-app',
      channel: null,
      revoke: async () => undefined,
    })
    session.setTokens(pair)
    expect(JSON.parse(web.getItem('my-app') ?? '')).toMatchObject({
      accessToken: pair.accessToken,
      refreshToken: 'r1',
      lifetimeMs: 300_000,
    })
    await session.logout()
    expect(web.getItem('my-app')).toBeNull()
  })
})
