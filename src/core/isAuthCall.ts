// A login, register, refresh, token or revoke endpoint: under `/auth/`, an OAuth 2.0 server's
// `/oauth/` or `/oauth2/.../v1/` (Auth0, Okta) or Keycloak's `/openid-connect/`, up to three
// segments deeper (`/auth/token/refresh`).
const AUTH_CALLS =
  /\/(?:auth|oauth2?|openid-connect)\/(?:[^/?#]+\/){0,3}(?:login|register|refresh|token|revoke)\/?(?:[?#]|$)/

/**
 * Whether `url` is a login, register, refresh, token or revoke call, which never carries the
 * session's token nor triggers a refresh.
 */
export function isAuthCall(url: string): boolean {
  return AUTH_CALLS.test(url)
}
