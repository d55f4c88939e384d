import type { AuthState } from './authModel'
import type { Authenticator } from './createAuthenticator'
import type { StateStore } from './createStateStore'

/** What an instance's auth routes share: its state, its token check, and how it was built. */
export interface AuthRuntime {
  store: StateStore<AuthState>
  authenticate: Authenticator['authenticate']
  /** Where the refresh cookie is sent: the directory holding the refresh and logout routes. */
  cookiePath: string
  /** Roles `register` may create, with the permissions each gets. */
  registrableRoles: Readonly<Record<string, readonly string[]>>
}
