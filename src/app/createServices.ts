import axios from 'axios'
import {
  createAuthSession,
  createLocalCoordinator,
  createOAuth2RefreshAdapter,
  createOAuth2RevokeAdapter,
  createRefreshAdapter,
  type RefreshCredential,
  type TokenStorage,
} from 'token-refresh-kit'
import { attachAuthInterceptor } from 'token-refresh-kit/axios'
import { createAuthApi } from './api/auth'
import type { AppServices } from './AppServices'
import { createEventLog } from './createEventLog'
import { createMockControls } from './mockControls'

/**
 * How the backend carries the refresh credential, as the mocks' `refresh_mode` names it, or
 * `oauth`: the contract's login, then the mocks' RFC 6749 token endpoint (`/oauth/token`) to
 * refresh and RFC 7009 revocation (`/oauth/revoke`) to sign out.
 */
export type RefreshMode = 'json' | 'cookie' | 'sliding' | 'oauth'

/** The OAuth client the app names itself as to the token endpoint. */
const OAUTH_CLIENT_ID = 'etl-console'

const CREDENTIALS: Record<RefreshMode, RefreshCredential> = {
  json: 'stored',
  oauth: 'stored',
  cookie: 'cookie',
  sliding: 'access-token',
}

/** `VITE_REFRESH_MODE`: unset is `json`; anything else but `cookie`, `sliding` or `oauth` is a mistake. */
export function parseRefreshMode(value: string | undefined): RefreshMode {
  if (!value) return 'json'
  if (Object.hasOwn(CREDENTIALS, value)) return value as RefreshMode
  throw new Error(
    `[etl-console] VITE_REFRESH_MODE is "${value}": set it to json, cookie, sliding or oauth (or leave it unset for json), and build again.`,
  )
}

export interface ServicesOptions {
  /** The API origin; '' for the page's own (the service-worker mocks). */
  baseURL: string
  mocks: boolean
  /** How the backend carries the refresh credential. Default `json`. */
  refreshMode?: RefreshMode
  storage?: TokenStorage
  /** Dev/test only: `false` leaves this tab uncoordinated with the others (the bench's baseline). */
  tabSync?: boolean
  /** Where the Session page's history survives a reload; default sessionStorage, `null` for none. */
  logStorage?: Storage | null
}

/** The session, the one axios instance it guards, and the app's other services. */
export function createServices({
  baseURL,
  mocks,
  refreshMode = 'json',
  storage,
  tabSync = true,
  logStorage = globalThis.sessionStorage ?? null,
}: ServicesOptions): AppServices {
  const session = createAuthSession({
    baseURL,
    refreshCredential: CREDENTIALS[refreshMode],
    // The other modes take the engine's default call for their credential.
    ...(refreshMode === 'json' ? { refresh: createRefreshAdapter({ baseURL }) } : {}),
    ...(refreshMode === 'oauth'
      ? {
          refresh: createOAuth2RefreshAdapter({
            tokenEndpoint: `${baseURL}/oauth/token`,
            clientId: OAUTH_CLIENT_ID,
          }),
          revoke: createOAuth2RevokeAdapter({
            revocationEndpoint: `${baseURL}/oauth/revoke`,
            clientId: OAUTH_CLIENT_ID,
          }),
        }
      : {}),
    ...(storage ? { storage } : {}),
    ...(tabSync ? {} : { coordinator: createLocalCoordinator(), channel: null }),
  })
  const events = createEventLog(session, logStorage)
  const api = axios.create({ baseURL, timeout: 30_000 })
  attachAuthInterceptor(api, session, { holdUntilSignedIn: true })
  return {
    session,
    api,
    // The login sets the refresh cookie: a cross-origin answer sets it only with credentials.
    auth: createAuthApi(baseURL, { withCredentials: refreshMode === 'cookie' }),
    events,
    mock: mocks ? createMockControls(baseURL) : null,
  }
}
