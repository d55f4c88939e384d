/** The API's origin: the kit's `npm run mock:server` unless `VITE_API_URL` names another. */
export const API_URL = (import.meta.env.VITE_API_URL ?? 'http://127.0.0.1:8787').replace(/\/+$/, '')

/** The OAuth 2.0 token endpoint (RFC 6749): sign-in with the password grant, and every refresh. */
export const TOKEN_ENDPOINT = `${API_URL}/oauth/token`

/** The OAuth 2.0 revocation endpoint (RFC 7009), called at sign-out. */
export const REVOCATION_ENDPOINT = `${API_URL}/oauth/revoke`

/** A public client: a browser app keeps no secret. */
export const CLIENT_ID = 'frontend-app'
