// @vitest-environment jsdom
// @vitest-environment-options {"url": "http://127.0.0.1:5173/jobs"}
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { installDevtoolsBridge } from '../../../src/devtools/installDevtoolsBridge'
import { BRIDGE_NAMESPACE, BRIDGE_VERSION, type PageEnvelope } from '../../../src/devtools/protocol'
import { RefreshFailedError, RefreshRejectedError } from '../../../src/core/errors'
import {
  ACCESS_TOKEN,
  HEADER,
  REFRESH_TOKEN,
  SIGNATURE,
  createFakeMock,
  createFakeSession,
} from './fakeSession'

const ORIGIN = 'http://127.0.0.1:5173'

let posted: PageEnvelope[]
let targets: string[]
let postSpy: MockInstance<typeof window.postMessage>
const cleanups: Array<() => void> = []

beforeEach(() => {
  posted = []
  targets = []
  postSpy = vi.spyOn(window, 'postMessage').mockImplementation(((
    message: unknown,
    target: unknown,
  ) => {
    posted.push(structuredClone(message) as PageEnvelope)
    targets.push(String(target))
  }) as typeof window.postMessage)
})

afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
  postSpy.mockRestore()
})

function install(...args: Parameters<typeof installDevtoolsBridge>) {
  const uninstall = installDevtoolsBridge(...args)
  cleanups.push(uninstall)
  return uninstall
}

/** A message as the content script sends it, with any part of the envelope or event overridden. */
function fromExtension(
  data: Record<string, unknown>,
  event: { origin?: string; source?: MessageEventSource | null } = {},
) {
  window.dispatchEvent(
    new MessageEvent('message', {
      data: {
        namespace: BRIDGE_NAMESPACE,
        version: BRIDGE_VERSION,
        direction: 'extension',
        ...data,
      },
      origin: event.origin ?? ORIGIN,
      source: event.source === undefined ? window : event.source,
    }),
  )
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))
const ofType = <T extends PageEnvelope['type']>(type: T) =>
  posted.filter((message): message is Extract<PageEnvelope, { type: T }> => message.type === type)

describe('installDevtoolsBridge', () => {
  it('says hello to its own origin with the claims and a masked token, never a token', () => {
    const { session } = createFakeSession()
    install(session, { mock: createFakeMock() })

    const [hello] = ofType('hello')
    expect(hello).toMatchObject({
      namespace: BRIDGE_NAMESPACE,
      version: BRIDGE_VERSION,
      direction: 'page',
      snapshot: {
        status: 'authenticated',
        claims: { email: 'admin@etl.local', role: 'admin' },
        expiresAt: 1_300_000,
        refreshCount: 2,
        mock: true,
      },
    })
    expect(hello!.snapshot.maskedToken).toBe(
      `${HEADER.slice(0, 6)}…${ACCESS_TOKEN.split('.')[1]!.slice(-4)}`,
    )
    expect(targets).toEqual([ORIGIN])
  })

  it('answers a ping from the content script with a fresh hello and the event history', async () => {
    const { session, emit } = createFakeSession()
    install(session)
    emit({ type: 'refresh-started', at: 1, reason: 'scheduled' })
    emit({ type: 'refreshed', at: 2, expiresAt: 3, source: 'network' })
    posted = []

    fromExtension({ type: 'ping' })

    const [hello] = ofType('hello')
    expect(hello!.events.map((event) => event.type)).toEqual(['refresh-started', 'refreshed'])
    expect(hello!.snapshot.mock).toBe(false)
  })

  const strangers: Array<[string, Record<string, unknown>, { origin?: string; source?: null }]> = [
    ['another origin', {}, { origin: 'http://evil.test' }],
    ['the same origin on another port', {}, { origin: 'http://127.0.0.1:6666' }],
    ['no source window', {}, { source: null }],
    ['another namespace', { namespace: 'someone-else' }, {}],
    ['another protocol version', { version: BRIDGE_VERSION + 1 }, {}],
    ['the page direction (its own echo)', { direction: 'page' }, {}],
    ['no direction', { direction: undefined }, {}],
  ]

  it.each(strangers)('ignores a command from %s', async (_label, override, event) => {
    const { session, tester } = createFakeSession()
    const mock = createFakeMock()
    install(session, { mock })
    posted = []

    fromExtension({ type: 'command', id: 'x', command: { type: 'expire' }, ...override }, event)
    fromExtension({ type: 'command', id: 'y', command: { type: 'revoke' }, ...override }, event)
    fromExtension({ type: 'ping', ...override }, event)
    await flush()

    expect(tester.forceExpire).not.toHaveBeenCalled()
    expect(mock.expireAccessTokens).not.toHaveBeenCalled()
    expect(mock.revokeSessions).not.toHaveBeenCalled()
    expect(posted).toEqual([])
  })

  it('ignores a command from another window of the same origin', async () => {
    const { session, tester } = createFakeSession()
    install(session)
    const frame = document.createElement('iframe')
    document.body.append(frame)
    posted = []

    fromExtension(
      { type: 'command', id: 'x', command: { type: 'invalidate' } },
      { source: frame.contentWindow },
    )
    await flush()

    expect(tester.invalidateAccessToken).not.toHaveBeenCalled()
    expect(posted).toEqual([])
    frame.remove()
  })

  it.each([
    ['an unknown command', { type: 'logout' }],
    ['a lifetime under 5 s', { type: 'set-lifetime', seconds: 1 }],
    ['a lifetime that is not a whole number', { type: 'set-lifetime', seconds: 10.5 }],
    ['a failure status the mocks do not offer', { type: 'fail-next-refresh', status: 404 }],
    ['no command at all', undefined],
  ])('ignores %s', async (_label, command) => {
    const { session } = createFakeSession()
    const mock = createFakeMock()
    install(session, { mock })
    posted = []

    fromExtension({ type: 'command', id: 'x', command })
    await flush()

    expect(mock.setAccessTokenLifetime).not.toHaveBeenCalled()
    expect(mock.failNextRefresh).not.toHaveBeenCalled()
    expect(session.logout).not.toHaveBeenCalled()
    expect(posted).toEqual([])
  })

  it('expires on the mock server first, then in the app, and says so', async () => {
    const { session, tester } = createFakeSession()
    const mock = createFakeMock()
    install(session, { mock })

    fromExtension({ type: 'command', id: 'c1', command: { type: 'expire' } })
    await flush()

    expect(mock.expireAccessTokens).toHaveBeenCalledTimes(1)
    expect(tester.forceExpire).toHaveBeenCalledTimes(1)
    expect(mock.expireAccessTokens.mock.invocationCallOrder[0]).toBeLessThan(
      tester.forceExpire.mock.invocationCallOrder[0]!,
    )
    expect(ofType('result')).toEqual([
      expect.objectContaining({ id: 'c1', ok: true, detail: expect.stringMatching(/mock server/) }),
    ])
  })

  it('expires in the app alone against a real backend', async () => {
    const { session, tester } = createFakeSession()
    install(session)

    fromExtension({ type: 'command', id: 'c1', command: { type: 'expire' } })
    await flush()

    expect(tester.forceExpire).toHaveBeenCalledTimes(1)
    expect(ofType('result')[0]).toMatchObject({ id: 'c1', ok: true })
  })

  it('routes each command to its session method or mock control', async () => {
    const { session, tester } = createFakeSession()
    const mock = createFakeMock()
    install(session, { mock })

    fromExtension({ type: 'command', id: 'a', command: { type: 'invalidate' } })
    fromExtension({
      type: 'command',
      id: 'b',
      command: { type: 'fail-next-refresh', status: 'network' },
    })
    fromExtension({ type: 'command', id: 'c', command: { type: 'fail-next-refresh', status: 401 } })
    fromExtension({ type: 'command', id: 'd', command: { type: 'revoke' } })
    fromExtension({ type: 'command', id: 'e', command: { type: 'set-lifetime', seconds: 10 } })
    fromExtension({ type: 'command', id: 'f', command: { type: 'refresh' } })
    await flush()

    expect(tester.invalidateAccessToken).toHaveBeenCalledTimes(1)
    expect(mock.failNextRefresh.mock.calls).toEqual([['network'], [401]])
    expect(mock.revokeSessions).toHaveBeenCalledTimes(1)
    expect(mock.setAccessTokenLifetime).toHaveBeenCalledWith(10)
    expect(session.refresh).toHaveBeenCalledWith('manual')
    expect(tester.forceExpire).not.toHaveBeenCalled()
    expect(ofType('result').map(({ id, ok }) => [id, ok])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
      ['d', true],
      ['e', true],
      ['f', true],
    ])
  })

  it('refuses the mock-only commands when the page has no mock controls', async () => {
    const { session } = createFakeSession()
    install(session)

    fromExtension({ type: 'command', id: 'r', command: { type: 'revoke' } })
    fromExtension({ type: 'command', id: 'l', command: { type: 'set-lifetime', seconds: 30 } })
    await flush()

    const results = ofType('result')
    expect(results).toHaveLength(2)
    for (const result of results) {
      expect(result.ok).toBe(false)
      expect(result.error).toEqual({
        name: 'DevtoolsCommandError',
        code: 'MOCK_CONTROLS_MISSING',
        message: expect.stringContaining('installDevtoolsBridge(session, { mock })'),
      })
    }
  })

  it('refuses to expire a session nobody is signed in to', async () => {
    const { session, tester } = createFakeSession({
      ...createFakeSession().store.getState(),
      status: 'anonymous',
      accessToken: null,
      refreshToken: null,
      user: null,
      expiresAt: null,
    })
    install(session)

    fromExtension({ type: 'command', id: 'e', command: { type: 'expire' } })
    await flush()

    expect(tester.forceExpire).not.toHaveBeenCalled()
    expect(ofType('result')[0]).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } })
  })

  it('reports a failed command as {name, code, message} and nothing more', async () => {
    const { session } = createFakeSession()
    session.refresh.mockRejectedValueOnce(
      new RefreshFailedError('Refresh failed with status 503: POST /api/v1/auth/refresh', {
        status: 503,
        cause: { config: { data: { refresh_token: REFRESH_TOKEN } } },
      }),
    )
    install(session)

    fromExtension({ type: 'command', id: 'r', command: { type: 'refresh' } })
    await flush()

    expect(ofType('result')[0]!.error).toEqual({
      name: 'RefreshFailedError',
      code: 'REFRESH_FAILED',
      message: 'Refresh failed with status 503: POST /api/v1/auth/refresh',
    })
  })

  it('never lets the refresh token, the access token or its signature cross, whatever happens', async () => {
    const { session, store, emit } = createFakeSession()
    install(session, { mock: createFakeMock() })
    const leaky = new RefreshRejectedError(
      `Refresh rejected for ${REFRESH_TOKEN} (token ${ACCESS_TOKEN})`,
      {
        status: 401,
        cause: { token: ACCESS_TOKEN },
      },
    )

    emit({ type: 'signed-in', at: 1, user: store.getState().user, source: 'local' })
    emit({ type: 'refresh-started', at: 2, reason: 'expired' })
    emit({ type: 'refresh-failed', at: 3, error: leaky, transient: false, retryInMs: null })
    emit({ type: 'retried', at: 4, method: 'get', url: `/api/v1/jobs?token=${ACCESS_TOKEN}` })
    emit({ type: 'ended', at: 5, reason: 'refresh-rejected', error: leaky })
    store.setState({ status: 'refreshing', error: leaky })
    store.setState({ user: { ...store.getState().user, note: `Bearer ${ACCESS_TOKEN}` } })
    session.refresh.mockRejectedValueOnce(leaky)
    for (const command of [{ type: 'refresh' }, { type: 'expire' }, { type: 'invalidate' }]) {
      fromExtension({ type: 'command', id: command.type, command })
    }
    fromExtension({ type: 'ping' })
    await flush()

    expect(posted.length).toBeGreaterThan(10)
    const wire = JSON.stringify(posted)
    expect(wire).not.toContain(REFRESH_TOKEN)
    expect(wire).not.toContain(ACCESS_TOKEN)
    expect(wire).not.toContain(SIGNATURE)
    expect(wire).not.toMatch(/refreshToken|accessToken/)
    const retried = posted.find(
      (message) => message.type === 'event' && message.event.type === 'retried',
    )
    expect(retried).toMatchObject({ event: { url: '/api/v1/jobs' } })
  })

  it('posts the state on every change and each event as it happens', () => {
    const { session, store, emit } = createFakeSession()
    install(session)
    posted = []

    store.setState({ status: 'refreshing' })
    emit({ type: 'refresh-started', at: 10, reason: 'scheduled' })

    expect(posted.map((message) => message.type)).toEqual(['state', 'event'])
    expect(ofType('state')[0]!.snapshot.status).toBe('refreshing')
  })

  it('keeps the last 50 events for the next hello', () => {
    const { session, emit } = createFakeSession()
    install(session)
    for (let at = 1; at <= 60; at++) emit({ type: 'expired', at, forced: false })
    posted = []

    fromExtension({ type: 'ping' })

    const events = ofType('hello')[0]!.events
    expect(events).toHaveLength(50)
    expect(events[0]!.at).toBe(11)
  })

  it('uninstalls completely: no more listening, no more posting, a goodbye', async () => {
    const { session, tester, store, listenerCount } = createFakeSession()
    const uninstall = install(session)
    uninstall()
    expect(ofType('goodbye')).toHaveLength(1)
    posted = []

    store.setState({ status: 'refreshing' })
    fromExtension({ type: 'command', id: 'x', command: { type: 'invalidate' } })
    await flush()

    expect(posted).toEqual([])
    expect(listenerCount()).toBe(0)
    expect(tester.invalidateAccessToken).not.toHaveBeenCalled()
  })

  it('replaces an earlier bridge of the same namespace, so that a command runs once', async () => {
    const { session, tester } = createFakeSession()
    install(session)
    install(session)

    fromExtension({ type: 'command', id: 'x', command: { type: 'invalidate' } })
    await flush()

    expect(tester.invalidateAccessToken).toHaveBeenCalledTimes(1)
    expect(ofType('result')).toHaveLength(1)
  })

  it('speaks only its own namespace when given one', async () => {
    const { session, tester } = createFakeSession()
    install(session, { namespace: 'my-app' })

    fromExtension({ type: 'command', id: 'x', command: { type: 'invalidate' } })
    await flush()
    expect(tester.invalidateAccessToken).not.toHaveBeenCalled()

    fromExtension({
      type: 'command',
      id: 'y',
      command: { type: 'invalidate' },
      namespace: 'my-app',
    })
    await flush()
    expect(tester.invalidateAccessToken).toHaveBeenCalledTimes(1)
    expect(posted.every((message) => message.namespace === 'my-app')).toBe(true)
  })
})
