import { mockAuth } from './db'

export type { AuthContext, AuthedResolver } from './auth/createAuthenticator'
export { bearerToken, requirePermission } from './auth/createAuthenticator'

/** The mocks' token check is their auth instance's: jobs and pipelines trust what it trusts. */
export const { authenticate, withAuth } = mockAuth.authenticator
