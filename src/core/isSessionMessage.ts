import { isSessionRecord } from './sessionRecord'
import type { SessionMessage } from './types'

const hasKeys = (value: object, keys: string[]) =>
  Object.keys(value).sort().join() === [...keys].sort().join()

const isTabId = (value: unknown) =>
  typeof value === 'string' && value.length > 0 && value.length <= 64

/**
 * Exactly one of the session's messages: a known `type` with its fields, of their types, and
 * nothing else. Any other post on the channel (a stray script, another library, another version
 * of a message) is ignored whole rather than half-read.
 */
export function isSessionMessage(data: unknown): data is SessionMessage {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false
  const message = data as Record<string, unknown>
  switch (message.type) {
    case 'tokens':
      return (
        hasKeys(message, ['type', 'record', 'signIn']) &&
        isSessionRecord(message.record) &&
        typeof message.signIn === 'boolean'
      )
    case 'handoff':
      return (
        hasKeys(message, ['type', 'to', 'record']) &&
        isTabId(message.to) &&
        isSessionRecord(message.record)
      )
    case 'hello':
      return hasKeys(message, ['type', 'from']) && isTabId(message.from)
    case 'logout':
    case 'ended':
      return hasKeys(message, ['type'])
    default:
      return false
  }
}
