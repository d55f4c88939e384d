import type { SessionHost } from './SessionHost'
import type { AuthState, EndReason, SessionMessage, SessionRecord } from './types'

/**
 * What the tabs of one origin tell each other: new tokens (a sign-in or a refresh), a sign-out or
 * an ended session, and a new tab's hello, answered by a tab that holds a session with a handoff
 * (memory storage has nothing on disk for the new tab to read).
 */
export function createTabMessages(
  host: Pick<SessionHost, 'config' | 'store' | 'reader' | 'own' | 'adopt' | 'endSession'>,
) {
  const { config, store } = host
  const { channel } = config
  const tabId = Math.random().toString(36).slice(2)
  const live = (status: AuthState['status']) =>
    status === 'authenticated' || status === 'refreshing'
  const signedOut = ({ endReason }: AuthState) =>
    endReason === 'logout' || endReason === 'logout-elsewhere'

  const applyTokens = (record: SessionRecord, signIn: boolean) => {
    const { accessToken, expiresAt, user } = store.getState()
    if (record.accessToken === accessToken) {
      // The user another tab loaded for the token this one holds.
      if (config.keepsUser && record.user && !user) store.setState({ user: record.user })
      return
    }
    // A late message must not replace a token this tab already has a newer one than.
    if (!signIn && expiresAt !== null && expiresAt >= record.expiresAt) return
    if (!host.reader.decode(record)) return
    host.adopt(record, signIn ? 'sign-in' : 'refresh', 'other-tab')
  }

  const apply = (message: SessionMessage) => {
    const { status } = store.getState()
    switch (message.type) {
      case 'tokens':
        return applyTokens(message.record, message.signIn || !live(status))
      case 'handoff':
        if (message.to === tabId && status !== 'authenticated') applyTokens(message.record, true)
        return
      case 'hello': {
        const record = host.own()
        if (status === 'authenticated' && record) {
          channel?.post({ type: 'handoff', to: message.from, record })
        }
        return
      }
      default: {
        const reason = message.type === 'logout' ? 'logout-elsewhere' : 'ended-elsewhere'
        // A sign-out elsewhere also reaches a tab whose session had already ended: what it held
        // for a re-sign-in (requests, its prompt) is given up, as the user chose to leave.
        const leftAfterEnd =
          reason === 'logout-elsewhere' && status === 'ended' && !signedOut(store.getState())
        if (live(status) || leftAfterEnd) host.endSession(reason, null, { announce: false })
      }
    }
  }

  const unsubscribe = channel?.subscribe(apply)

  return {
    /** Sends a sign-in, a refresh or a newly loaded user to the other tabs. */
    announceTokens: (record: SessionRecord, signIn: boolean) =>
      channel?.post({ type: 'tokens', record, signIn }),
    /** Signs the other tabs out: `logout` for a sign-out here, `ended` for a rejected refresh. */
    announceEnd: (reason: EndReason) =>
      channel?.post({ type: reason === 'logout' ? 'logout' : 'ended' }),
    /** Asks the other tabs for their session, for a tab that found none stored. */
    greet: () => channel?.post({ type: 'hello', from: tabId }),
    close() {
      unsubscribe?.()
      if (config.ownsChannel) channel?.close?.()
    },
  }
}
