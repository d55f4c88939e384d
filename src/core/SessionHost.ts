import type { StoreApi } from 'zustand/vanilla'
import type { TokenReader } from './createTokenReader'
import type { AuthKitError } from './errors'
import type { SessionConfig } from './resolveSessionOptions'
import type { AuthEventInput, AuthState, EndReason, SessionRecord } from './types'

/** What the session lends the parts it composes: the refresher, the scheduler, the tab messages. */
export interface SessionHost {
  config: SessionConfig
  store: StoreApi<AuthState>
  reader: TokenReader
  emit(event: AuthEventInput): void
  /** Bumped by every sign-in and sign-out: work that straddles one is discarded. */
  epoch(): number
  /** The held token's whole lifetime, 0 when none: it scales the refresh margin and the breaker. */
  lifetimeMs(): number
  /** The record the session holds, or null. */
  own(): SessionRecord | null
  /** The access token if it can be sent now, else null. */
  peek(): string | null
  /** Writes a record to storage and to the tab store. */
  persist(record: SessionRecord): void
  /** Takes a record as the session's: a sign-in (here or in another tab) or a refresh. */
  adopt(
    record: SessionRecord,
    kind: 'sign-in' | 'refresh',
    source: 'local' | 'network' | 'other-tab',
    idToken?: string | null,
  ): void
  /** Clears the tokens here; `announce` signs the other tabs out too. */
  endSession(reason: EndReason, error: AuthKitError | null, options: { announce: boolean }): void
}
