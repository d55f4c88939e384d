// The engine's types live in the files named below; this one stays so that no import has to move.
export type {
  TokenPair,
  AccessTokenClaims,
  AuthStatus,
  EndReason,
  AuthState,
  SessionRecord,
} from './state'
export type {
  RefreshReason,
  AuthEvent,
  AuthEventListener,
  AuthEventInput,
  SessionMessage,
} from './events'
export type {
  UserSource,
  UserLoader,
  TokenStorage,
  KeyValueStore,
  RefreshFn,
  RefreshCoordinator,
  SessionChannel,
  RefreshCredential,
  AuthSessionOptions,
} from './options'
export type { GetAccessTokenOptions, AuthSession } from './AuthSession'
