import type { SessionChannel, SessionMessage } from '../../../../src/core'

/**
 * A caller's tab channel that posts nowhere: `listeners` are the session's subscriptions, and
 * `deliver` hands them a message as if another tab had sent it.
 */
export function createListenedChannel(extra: Pick<SessionChannel, 'close'> = {}) {
  const listeners = new Set<(message: SessionMessage) => void>()
  const channel: SessionChannel = {
    post: () => undefined,
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    ...extra,
  }
  const deliver = (message: SessionMessage) => listeners.forEach((listener) => listener(message))
  return { channel, listeners, deliver }
}
