import type { SessionHost } from './SessionHost'
import type { AuthSession } from './types'

// `Symbol.for`, not a module's own symbol: the devtools entry is built apart from the engine and
// must find the same key (src/devtools/createDevtoolsHandle.ts spells it too).
const TESTER_HOOKS = Symbol.for('token-refresh-kit.tester-hooks')

/** What a tester may do to a session and an app may not; reached through the devtools entry only. */
export interface TesterHooks {
  /** Treats the access token as expired now. */
  forceExpire(): void
  /** Corrupts the access token's signature, keeping its expiry, so the next request meets a real 401. */
  invalidateAccessToken(): void
}

/** A JWT's signature, or an opaque token's last character, changed: the server refuses either. */
function tamper(token: string): string {
  const parts = token.split('.')
  const last = parts.length === 3 ? 2 : parts.length - 1
  const tail = parts[last] ?? ''
  parts[last] =
    parts.length === 3
      ? (tail.startsWith('A') ? 'B' : 'A') + tail.slice(1)
      : tail.slice(0, -1) + (tail.endsWith('A') ? 'B' : 'A')
  return parts.join('.')
}

/** Hangs the tester hooks on `session` under a key that no enumeration, spread or JSON shows. */
export function attachTesterHooks(
  session: AuthSession,
  host: Pick<SessionHost, 'config' | 'store' | 'emit' | 'own' | 'persist'>,
  /** Tells the scheduler an `expired` event was sent for `token`. */
  markExpired: (token: string) => void,
): void {
  const hooks: TesterHooks = {
    forceExpire() {
      const current = host.own()
      if (!current) return
      const expiresAt = host.config.now()
      host.persist({ ...current, expiresAt })
      host.store.setState({ expiresAt })
      markExpired(current.accessToken)
      host.emit({ type: 'expired', forced: true })
    },
    invalidateAccessToken() {
      const current = host.own()
      if (!current) return
      const tampered = { ...current, accessToken: tamper(current.accessToken) }
      host.persist(tampered)
      host.store.setState({ accessToken: tampered.accessToken })
      host.emit({ type: 'invalidated' })
    },
  }
  Object.defineProperty(session, TESTER_HOOKS, { value: hooks })
}
