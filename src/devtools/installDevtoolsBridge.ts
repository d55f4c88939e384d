import type { AuthSession } from 'token-refresh-kit'
import { createDevtoolsHandle } from './createDevtoolsHandle'
import { DevtoolsCommandError } from './DevtoolsCommandError'
import {
  BRIDGE_NAMESPACE,
  EVENT_HISTORY_LIMIT,
  MOCK_COMMANDS,
  envelope,
  readBridgeMessage,
  serializeError,
  type BridgeCommand,
  type BridgeEvent,
  type FailRefreshStatus,
  type PageMessage,
} from './protocol'
import { redactSecrets } from './redactSecrets'
import { serializeEvent, snapshotSession } from './snapshotSession'

/** The mock backend's scenarios, as the page reaches them (its own `/__mock/*` routes). */
export interface MockControls {
  expireAccessTokens(): Promise<void>
  failNextRefresh(status: FailRefreshStatus): Promise<void>
  revokeSessions(): Promise<void>
  setAccessTokenLifetime(seconds: number): Promise<void>
}

export interface DevtoolsBridgeOptions {
  /** The mock backend's controls; without them the extension's mock-only controls stay disabled. */
  mock?: MockControls
  /** The message namespace. Default `token-refresh-kit`, the one the extension speaks. */
  namespace?: string
}

const installed = new Map<string, () => void>()

/**
 * Lets the Token Refresh Kit extension inspect `session` and act on it, through
 * `window.postMessage` to this page's own origin. Install it in development builds only.
 * Returns the uninstall.
 */
export function installDevtoolsBridge(
  session: AuthSession,
  options: DevtoolsBridgeOptions = {},
): () => void {
  if (typeof window === 'undefined' || window.location.origin === 'null') {
    console.warn(
      '[token-refresh-kit devtools] Not installed: the bridge needs a window with a real origin ' +
        '(http or https); an opaque origin such as file:// cannot be reached by the extension.',
    )
    return () => undefined
  }
  const namespace = options.namespace ?? BRIDGE_NAMESPACE
  const { mock } = options
  // A second install in one window (StrictMode, hot reload) replaces the first, so that no
  // command is ever carried out twice.
  installed.get(namespace)?.()

  const history: BridgeEvent[] = []
  const origin = window.location.origin
  const post = (message: PageMessage) => {
    const { accessToken, refreshToken } = session.getState()
    const signature = accessToken?.split('.')[2]
    const safe = redactSecrets(message, [refreshToken, accessToken, signature])
    window.postMessage(envelope(safe, 'page', namespace), origin)
  }
  const snapshot = () => snapshotSession(session.getState(), mock !== undefined)

  const run = async (command: BridgeCommand): Promise<string> => {
    if (MOCK_COMMANDS.has(command.type) && !mock) {
      throw new DevtoolsCommandError(
        'MOCK_CONTROLS_MISSING',
        `"${command.type}" needs the mock backend, and this page passed no mock controls: ` +
          'call installDevtoolsBridge(session, { mock }) when the app runs on the mocks.',
      )
    }
    const signedIn = () => {
      const { status } = session.getState()
      if (status !== 'authenticated' && status !== 'refreshing') {
        throw new DevtoolsCommandError(
          'NOT_SIGNED_IN',
          `Nobody is signed in on this page (the session is ${status}): sign in first.`,
        )
      }
    }
    switch (command.type) {
      case 'expire':
        signedIn()
        // The server first: a refresh started by forceExpire() must get a token the server
        // issued after the expiry, or that token would be expired too.
        if (mock) await mock.expireAccessTokens()
        createDevtoolsHandle(session).forceExpire()
        return mock
          ? 'Expired the access token on the mock server and in the app.'
          : 'The app now treats its access token as expired (the server still accepts it until its own expiry).'
      case 'invalidate':
        signedIn()
        createDevtoolsHandle(session).invalidateAccessToken()
        return "Tampered with the access token's signature: the next request meets a 401 from the server."
      case 'fail-next-refresh':
        await mock!.failNextRefresh(command.status)
        return `The next refresh fails with ${command.status === 'network' ? 'a network error' : command.status}.`
      case 'revoke':
        await mock!.revokeSessions()
        return 'Revoked every session on the mock server: its access and refresh tokens are refused from now on.'
      case 'set-lifetime':
        await mock!.setAccessTokenLifetime(command.seconds)
        return `Access tokens issued from now on live ${command.seconds} s (the current one keeps its expiry).`
      case 'refresh':
        signedIn()
        await session.refresh('manual')
        return 'Refreshed the access token.'
    }
  }

  const onMessage = (event: MessageEvent) => {
    const message = readBridgeMessage(event, 'extension', namespace)
    if (!message) return
    if (message.type === 'ping') {
      post({ type: 'hello', snapshot: snapshot(), events: [...history] })
      return
    }
    run(message.command).then(
      (detail) => post({ type: 'result', id: message.id, ok: true, detail }),
      (error: unknown) =>
        post({
          type: 'result',
          id: message.id,
          ok: false,
          detail: 'Nothing was changed.',
          error: serializeError(error),
        }),
    )
  }

  window.addEventListener('message', onMessage)
  const unsubscribeState = session.subscribe(() => post({ type: 'state', snapshot: snapshot() }))
  const unsubscribeEvents = session.onEvent((authEvent) => {
    const event = serializeEvent(authEvent)
    history.push(event)
    if (history.length > EVENT_HISTORY_LIMIT) history.shift()
    post({ type: 'event', event })
  })
  post({ type: 'hello', snapshot: snapshot(), events: [] })

  const uninstall = () => {
    if (installed.get(namespace) !== uninstall) return
    installed.delete(namespace)
    window.removeEventListener('message', onMessage)
    unsubscribeState()
    unsubscribeEvents()
    post({ type: 'goodbye' })
  }
  installed.set(namespace, uninstall)
  return uninstall
}
