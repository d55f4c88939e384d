export { createAuthSession } from './createAuthSession'
export { createAuthFetch } from './createAuthFetch'
export type { AuthFetch, AuthFetchOptions } from './createAuthFetch'
// The building blocks createAuthFetch and token-refresh-kit/axios share, for other HTTP clients.
export { createOriginPolicy } from './createOriginPolicy'
export type { AllowedOrigins, OriginPolicy, OriginRule } from './createOriginPolicy'
export { isAuthCall } from './isAuthCall'
export { HttpFailure, toHttpFailure } from './HttpFailure'
export type { HttpFailureFields } from './HttpFailure'
export { createRefreshAdapter, mapTokenResponse } from './createRefreshAdapter'
export type { RefreshAdapterOptions } from './createRefreshAdapter'
export { createSlidingRefreshAdapter } from './createSlidingRefreshAdapter'
export type { SlidingRefreshAdapterOptions } from './createSlidingRefreshAdapter'
export { createRevokeAdapter } from './createRevokeAdapter'
export type { RevokeAdapterOptions } from './createRevokeAdapter'
export { createOAuth2RefreshAdapter } from './createOAuth2RefreshAdapter'
export type { OAuth2RefreshAdapterOptions } from './createOAuth2RefreshAdapter'
export { createOAuth2RevokeAdapter } from './createOAuth2RevokeAdapter'
export type { OAuth2RevokeAdapterOptions } from './createOAuth2RevokeAdapter'
export type { OAuth2ClientOptions, OAuth2ClientAuthentication } from './oauth2Client'
export { decodeAccessToken } from './decodeAccessToken'
export type { DecodedAccessToken } from './decodeAccessToken'
export { createLocalStorage, createSessionStorage, createMemoryStorage } from './storage'
export { createLocalCoordinator } from './createLocalCoordinator'
export {
  createTabSync,
  createWebLockCoordinator,
  createLeaseCoordinator,
  createBroadcastSessionChannel,
  createStorageEventChannel,
} from './tabSync'
export type { LockManagerLike, BroadcastChannelLike } from './tabSync'
export { createIndexedDbStore } from './createIndexedDbStore'
export type { IndexedDbStoreOptions } from './createIndexedDbStore'
export { isSessionMessage } from './isSessionMessage'
export { focusManager } from './focusManager'
export type { FocusHandle } from './focusManager'
export { onlineManager } from './onlineManager'
export type { OnlineHandle } from './onlineManager'
export type { WakeReason } from './createWakeManager'
export { timeoutManager } from './timeoutManager'
export type { TimerProvider, TimerHandle } from './timeoutManager'
export { formatDuration, formatTimeLeft, formatClock } from './formatTime'
export {
  AuthKitError,
  InvalidTokenError,
  InvalidRefreshResponseError,
  RefreshRejectedError,
  RefreshFailedError,
  RefreshLoopError,
  SessionEndedError,
  NotAuthenticatedError,
  UnauthorizedError,
  AuthTimeoutError,
  UserChangedError,
  InvalidOptionError,
  isAuthKitError,
} from './errors'
export type { AuthKitErrorCode } from './errors'
export type {
  TokenPair,
  AccessTokenClaims,
  AuthStatus,
  EndReason,
  RefreshReason,
  AuthState,
  AuthEvent,
  AuthEventInput,
  AuthEventListener,
  TokenStorage,
  KeyValueStore,
  RefreshFn,
  RefreshCredential,
  SessionRecord,
  UserSource,
  UserLoader,
  RefreshCoordinator,
  SessionMessage,
  SessionChannel,
  GetAccessTokenOptions,
  AuthSessionOptions,
  AuthSession,
} from './types'
