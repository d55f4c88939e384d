// The `token-refresh-kit/msw` entry: auth handlers for a developer's own tests. It reaches only
// mocks/auth and the helpers they use, never the repo's jobs, pipelines or IndexedDB storage.
export { createAuthHandlers } from './auth/createAuthHandlers'
export type { AuthHandlers } from './auth/createAuthHandlers'
export { DEFAULT_AUTH_PATHS } from './auth/authOptions'
export type { AuthPaths, AuthUser, CreateAuthHandlersOptions } from './auth/authOptions'
export type { AuthControls, AuthSettings } from './auth/createAuthControls'
export type { AuthedHandler, AuthIdentity, AuthResult } from './auth/createPublicAuth'
export { MockControlError } from './auth/MockControlError'
export type { StateSnapshot as AuthStateSnapshot } from './auth/controlOps'
export type { AuthConfig, AuthCounters, PublicUser, RefreshMode } from './auth/authModel'
export type { FailRefreshStatus } from './auth/failRefreshStatus'
export type { AccessClaims } from './tokens'
export type { RouteInfo } from './auth/createRoutes'
