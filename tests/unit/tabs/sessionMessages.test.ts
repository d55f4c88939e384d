import { describe, expect, it } from 'vitest'
import {
  createMemoryStorage,
  createStorageEventChannel,
  isSessionMessage,
  type SessionMessage,
} from '../../../src/core'
import { flush, setupTestServer } from '../core/support/harness'
import { createTabAndPoster } from './support/createTabAndPoster'

setupTestServer()

const KEY = 'token-refresh-kit'
const record = {
  accessToken: 'header.payload.signature',
  refreshToken: 'r1',
  expiresAt: 1_800_000_000_000,
  lifetimeMs: 300_000,
}

const malformed: [string, unknown][] = [
  ['not an object', 'tokens'],
  ['null', null],
  ['an array', ['tokens']],
  ['an unknown type', { type: 'takeover', record }],
  ['tokens without a record', { type: 'tokens', signIn: true }],
  ['tokens without signIn', { type: 'tokens', record }],
  ['tokens with a string signIn', { type: 'tokens', record, signIn: 'true' }],
  ['tokens with extra fields', { type: 'tokens', record, signIn: false, user: 'admin' }],
  [
    'a record with a numeric token',
    { type: 'tokens', record: { ...record, accessToken: 42 }, signIn: false },
  ],
  [
    'a record with an empty token',
    { type: 'tokens', record: { ...record, accessToken: '' }, signIn: false },
  ],
  [
    'a record with an object refresh token',
    { type: 'tokens', record: { ...record, refreshToken: {} }, signIn: false },
  ],
  [
    'a record without a refresh token field',
    { type: 'tokens', record: { ...record, refreshToken: undefined }, signIn: false },
  ],
  [
    'a record with NaN expiry',
    { type: 'tokens', record: { ...record, expiresAt: NaN }, signIn: false },
  ],
  [
    'a record with an infinite expiry',
    { type: 'tokens', record: { ...record, expiresAt: Infinity }, signIn: false },
  ],
  [
    'a record with a string lifetime',
    { type: 'tokens', record: { ...record, lifetimeMs: '300000' }, signIn: false },
  ],
  [
    'a record with extra fields',
    { type: 'tokens', record: { ...record, role: 'admin' }, signIn: false },
  ],
  ['handoff without a target', { type: 'handoff', record }],
  ['handoff with a numeric target', { type: 'handoff', to: 7, record }],
  ['handoff with a malformed record', { type: 'handoff', to: 'tab', record: { accessToken: 'x' } }],
  ['handoff with extra fields', { type: 'handoff', to: 'tab', record, signIn: true }],
  [
    'a record with a null user',
    { type: 'tokens', record: { ...record, user: null }, signIn: false },
  ],
  [
    'a record with a list for a user',
    { type: 'tokens', record: { ...record, user: [] }, signIn: false },
  ],
  [
    'a record with a string user',
    { type: 'tokens', record: { ...record, user: 'admin' }, signIn: false },
  ],
  [
    'a record with opaque false',
    { type: 'tokens', record: { ...record, opaque: false }, signIn: false },
  ],
  [
    'a record with a negative lifetime',
    { type: 'tokens', record: { ...record, lifetimeMs: -1 }, signIn: false },
  ],
  [
    'a record with a negative expiry',
    { type: 'tokens', record: { ...record, expiresAt: -1 }, signIn: false },
  ],
  ['handoff with a list for a target', { type: 'handoff', to: ['tab'], record }],
  ['hello without a sender', { type: 'hello' }],
  ['hello with an empty sender', { type: 'hello', from: '' }],
  ['hello with a sender id over 64 characters', { type: 'hello', from: 'x'.repeat(65) }],
  ['hello with extra fields', { type: 'hello', from: 'tab', to: 'tab' }],
  ['a list carrying a type', Object.assign([], { type: 'logout' })],
  ['logout with extra fields', { type: 'logout', reason: 'x' }],
]

describe('isSessionMessage', () => {
  it.each(malformed)('refuses %s', (_what, data) => {
    expect(isSessionMessage(data)).toBe(false)
  })

  it('accepts each message the engine sends', () => {
    const messages: SessionMessage[] = [
      { type: 'tokens', record, signIn: true },
      { type: 'tokens', record: { ...record, refreshToken: null }, signIn: false },
      { type: 'tokens', record: { ...record, user: { sub: 'u-1' }, opaque: true }, signIn: false },
      { type: 'hello', from: 'x'.repeat(64) },
      { type: 'handoff', to: 'abc', record },
      { type: 'hello', from: 'abc' },
      { type: 'logout' },
      { type: 'ended' },
    ]
    expect(messages.filter((message) => !isSessionMessage(message))).toEqual([])
  })
})

/** A signed-in tab and a page script of the same origin that posts on the session's channel. */
function tabAndIntruder() {
  const { server, session, poster, close } = createTabAndPoster()
  session.setTokens(server.login())
  return { server, session, intruder: poster, close }
}

describe('a tab receiving messages', () => {
  it('ignores malformed tokens and handoff messages, keeping its session', async () => {
    const { session, intruder, close } = tabAndIntruder()
    const before = session.getState()
    const { accessToken } = before
    const live = { ...record, accessToken: accessToken!, expiresAt: Date.now() + 600_000 }

    for (const [, data] of malformed) intruder.postMessage(data)
    intruder.postMessage({ type: 'tokens', record: { ...live, expiresAt: NaN }, signIn: true })
    intruder.postMessage({ type: 'tokens', record: { ...live, junk: 1 }, signIn: true })
    await flush()

    expect(session.getState()).toBe(before)
    close()
  })

  it('ignores well-formed tokens whose access token cannot be decoded', async () => {
    const { session, intruder, close } = tabAndIntruder()
    const before = session.getState()

    intruder.postMessage({
      type: 'tokens',
      record: { ...record, accessToken: 'not-a-jwt' },
      signIn: true,
    })
    await flush()

    expect(session.getState()).toBe(before)
    close()
  })

  it('accepts a sign-in from any context of the origin: the channel is inside the trust boundary', async () => {
    const { server, session, intruder, close } = tabAndIntruder()
    const other = server.login()
    const expiresAt = Date.now() + 300_000

    intruder.postMessage({
      type: 'tokens',
      record: {
        accessToken: other.accessToken,
        refreshToken: other.refreshToken,
        expiresAt,
        lifetimeMs: 300_000,
      },
      signIn: true,
    })
    await flush()

    expect(session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: other.accessToken,
    })
    close()
  })

  it('applies the same checks to messages over the storage event', () => {
    const listeners = new Set<(event: StorageEvent) => void>()
    const target = {
      addEventListener: (_type: string, listener: (event: StorageEvent) => void) =>
        listeners.add(listener),
      removeEventListener: (_type: string, listener: (event: StorageEvent) => void) =>
        listeners.delete(listener),
    } as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>
    const channel = createStorageEventChannel(KEY, createMemoryStorage() as Storage, target)
    const received: SessionMessage[] = []
    channel.subscribe((message) => received.push(message))
    const deliver = (message: unknown) =>
      listeners.forEach((listener) =>
        listener({ key: `${KEY}:message`, newValue: JSON.stringify({ message }) } as StorageEvent),
      )

    deliver({ type: 'tokens', record: { ...record, accessToken: 7 }, signIn: true })
    deliver({ type: 'logout', extra: true })
    deliver({ type: 'logout' })

    expect(received).toEqual([{ type: 'logout' }])
  })
})
