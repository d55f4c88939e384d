import type { AuthKitError } from './errors'
import type { AccessTokenClaims, EndReason, SessionRecord } from './state'

/** Why a refresh was started; carried on events so the app and the extension can show it. */
export type RefreshReason =
  'scheduled' | 'expired' | 'unauthorized' | 'manual' | 'visible' | 'focus' | 'online' | 'start'

/** A typed event stream: the React bindings, the devtools bridge and the app's logs read it. */
export type AuthEvent =
  | { type: 'signed-in'; at: number; user: AccessTokenClaims | null; source: 'local' | 'other-tab' }
  | { type: 'refresh-started'; at: number; reason: RefreshReason }
  | {
      type: 'refreshed'
      at: number
      expiresAt: number
      /** `network`: this tab called the server; `other-tab`: adopted what another tab obtained. */
      source: 'network' | 'other-tab'
    }
  | {
      type: 'refresh-failed'
      at: number
      error: AuthKitError
      /** Transient failures are retried; a rejection ends the session (an `ended` event follows). */
      transient: boolean
      retryInMs: number | null
    }
  | {
      type: 'retried'
      at: number
      method: string
      /** The request path without its query string, so that no secret can leak through it. */
      url: string
    }
  | { type: 'expired'; at: number; forced: boolean }
  | { type: 'invalidated'; at: number }
  | { type: 'ended'; at: number; reason: EndReason; error: AuthKitError | null }

export type AuthEventListener = (event: AuthEvent) => void

/** An event without its timestamp, which the session adds. */
export type AuthEventInput = AuthEvent extends infer E
  ? E extends AuthEvent
    ? Omit<E, 'at'>
    : never
  : never

/** Messages between the tabs of one origin, a union on `type`. */
export type SessionMessage =
  | { type: 'tokens'; record: SessionRecord; signIn: boolean }
  | { type: 'logout' }
  | { type: 'ended' }
  /** A new tab asks whether another holds a session (memory storage hand-off). */
  | { type: 'hello'; from: string }
  | { type: 'handoff'; to: string; record: SessionRecord }
