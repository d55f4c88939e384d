import {
  createAuthSession,
  createOAuth2RefreshAdapter,
  createOAuth2RevokeAdapter,
} from 'token-refresh-kit'
import { CLIENT_ID, REVOCATION_ENDPOINT, TOKEN_ENDPOINT } from './config'

/** The app's one session: refreshed at the OAuth token endpoint, revoked there at sign-out. */
export const session = createAuthSession({
  refresh: createOAuth2RefreshAdapter({ tokenEndpoint: TOKEN_ENDPOINT, clientId: CLIENT_ID }),
  revoke: createOAuth2RevokeAdapter({
    revocationEndpoint: REVOCATION_ENDPOINT,
    clientId: CLIENT_ID,
  }),
  storageKey: 'frontend-app',
})
