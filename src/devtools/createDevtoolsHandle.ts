import { InvalidOptionError, type AuthSession } from 'token-refresh-kit'

// The engine hangs its tester hooks under this key (src/core/createTesterHooks.ts): `Symbol.for`
// because this entry is built apart from the engine.
const TESTER_HOOKS = Symbol.for('token-refresh-kit.tester-hooks')

/** What the devtools may do to a session that an app may not. */
export interface DevtoolsHandle {
  /** Treats the access token as expired now: the next request waits for one refresh. */
  forceExpire(): void
  /** Corrupts the access token's signature, keeping its expiry, so the next request meets a real 401. */
  invalidateAccessToken(): void
}

/** The tester's controls over a session made by `createAuthSession`, for the bridge and tester tools. */
export function createDevtoolsHandle(session: AuthSession): DevtoolsHandle {
  const hooks = (session as { [TESTER_HOOKS]?: DevtoolsHandle })[TESTER_HOOKS]
  if (!hooks) {
    throw new InvalidOptionError(
      '[token-refresh-kit devtools] This session has no tester hooks: pass the session that createAuthSession() returned (a wrapper or a copy of it has none).',
    )
  }
  return hooks
}
