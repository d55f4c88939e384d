import {
  createAuthSession,
  createBroadcastSessionChannel,
  createMemoryStorage,
  createWebLockCoordinator,
  type AuthEvent,
  type BroadcastChannelLike,
} from '../../../../src/core'
import { API, createAuthServer, mswServer } from '../../core/support/authServer'
import { installFakeClock } from '../../core/support/harness'
import { createFakeBroadcastHub, createFakeLocks } from './fakes'

const KEY = 'token-refresh-kit'

/** A tab of the test's origin on `channel`, with its own storage and locks. */
const openTab = (channel: BroadcastChannelLike) =>
  createAuthSession({
    baseURL: API,
    storage: createMemoryStorage(),
    coordinator: createWebLockCoordinator(createFakeLocks()),
    channel: createBroadcastSessionChannel(channel),
    revoke: async () => undefined,
  })

/**
 * A tab nobody has signed in to yet, on a fake BroadcastChannel, and a page script of the same
 * origin that posts on that channel; `openChannel` joins another member, `openTab` starts a tab on one.
 */
export function createTabAndPoster() {
  installFakeClock()
  const server = createAuthServer()
  mswServer.use(...server.handlers)
  const hub = createFakeBroadcastHub()
  const openChannel = () => new hub.FakeChannel(KEY)
  const channel = openChannel()
  const poster = openChannel()
  const session = openTab(channel)
  const events: AuthEvent[] = []
  session.onEvent((event) => events.push(event))
  const close = () => {
    session.destroy()
    for (const member of [channel, poster]) member.close()
  }
  return { server, session, poster, events, openChannel, openTab, close }
}
