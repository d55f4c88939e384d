import { http, HttpResponse, type HttpHandler } from 'msw'
import { hashPassword } from '../passwords'
import { randomToken, toBase64Url } from '../random'
import {
  DEFAULT_AUTH_CONFIG,
  toPublicUser,
  type AuthConfig,
  type AuthState,
  type PasswordHash,
} from './authModel'
import { DEFAULT_AUTH_PATHS, type AuthPaths, type CreateAuthHandlersOptions } from './authOptions'
import type { AuthRuntime } from './authRuntime'
import { createAuthState } from './authState'
import { checkAuthOptions } from './checkAuthOptions'
import { createControlOps, type ConfigLimits } from './controlOps'
import { cookiePathOf } from './cookiePathOf'
import { createAuthenticator } from './createAuthenticator'
import { createAuthControls } from './createAuthControls'
import { createRoutes } from './createRoutes'
import { createStateStore } from './createStateStore'
import { toUserRecords } from './toUserRecords'
import { createLoginRoute } from './loginRoute'
import { createLogoutRoute } from './logoutRoute'
import { createOAuthRevokeRoute, createOAuthTokenRoute } from './oauthRoutes'
import { createPublicAuth } from './createPublicAuth'
import { createRefreshRoute } from './refreshRoute'
import { createRegisterRoute } from './registerRoute'
import { createMemoryStateStorage, type StateStorage } from './stateStorage'

/** Where an instance keeps its state; the repo's mocks pass their own, shared with jobs and pipelines. */
export interface InstancePersistence<S extends AuthState> {
  /** Read on every access, so it may be swapped (IndexedDB in the browser). */
  storage: () => StateStorage<S>
  clock: () => number
  /** Adds what else lives in the state beside the auth part. */
  extend: (auth: AuthState, now: number) => S
  /** Bounds of the config keys `extend` adds. */
  extraConfig?: ConfigLimits
}

function memoryPersistence(): InstancePersistence<AuthState> {
  const storage = createMemoryStateStorage<AuthState>()
  return { storage: () => storage, clock: () => Date.now(), extend: (auth) => auth }
}

/**
 * One auth backend: its state, its routes on the given paths, its token check and its controls.
 * `createAuthHandlers` builds one in memory; the repo's mocks build theirs over their own state.
 */
export function createAuthInstance<S extends AuthState = AuthState>(
  options: CreateAuthHandlersOptions,
  persistence?: InstancePersistence<S>,
) {
  const paths: AuthPaths = { ...DEFAULT_AUTH_PATHS, ...options.paths }
  checkAuthOptions(options, paths)
  const kept = (persistence ?? memoryPersistence()) as InstancePersistence<S>
  const config: AuthConfig = { ...DEFAULT_AUTH_CONFIG }
  const signingKey = () =>
    options.signingKey === undefined
      ? randomToken(32)
      : toBase64Url(new TextEncoder().encode(options.signingKey))
  const initialState = (hashes: PasswordHash[], now: number): S =>
    kept.extend(
      createAuthState(toUserRecords(options.users, hashes, now), config, signingKey(), now),
      now,
    )
  const store = createStateStore<S>({
    hashPasswords: () => Promise.all(options.users.map((user) => hashPassword(user.password))),
    initial: initialState,
    storage: kept.storage,
    clock: kept.clock,
  })
  const ops = createControlOps(store, kept.extraConfig)
  // The options' settings go through the same checks as `controls.configure`.
  const settings = {
    accessTtlSeconds: options.accessTtlSeconds,
    refreshTtlSeconds: options.refreshTtlSeconds,
    refreshMode: options.refreshMode,
    reuseDetection: options.reuseDetection,
  }
  const given = Object.entries(settings).filter(([, value]) => value !== undefined)
  Object.assign(config, ops.checkConfig(Object.fromEntries(given), 'createAuthHandlers', 'js'))

  const routes = createRoutes(store)
  const authenticator = createAuthenticator(store)
  const rt: AuthRuntime = {
    store,
    authenticate: authenticator.authenticate,
    cookiePath: cookiePathOf(options.baseUrl, paths),
    registrableRoles: options.registrableRoles ?? { user: [] },
  }
  const base = options.baseUrl.replace(/\/+$/, '')
  const at = (path: string | null) => (path === null ? null : `${base}${path}`)
  const route = (
    method: 'get' | 'post',
    path: string | null,
    resolver: Parameters<typeof routes.apiRoute>[0],
  ): HttpHandler[] => {
    const url = at(path)
    return url === null ? [] : [http[method](url, routes.apiRoute(resolver))]
  }
  const handlers: HttpHandler[] = [
    ...route('post', paths.register, createRegisterRoute(rt)),
    ...route('post', paths.login, createLoginRoute(rt)),
    ...route('post', paths.refresh, createRefreshRoute(rt)),
    ...route('post', paths.logout, createLogoutRoute(rt)),
    ...route(
      'get',
      paths.me,
      authenticator.withAuth(async ({ auth }) => HttpResponse.json(toPublicUser(auth.user))),
    ),
    ...route('get', paths.health, async () => HttpResponse.json({ status: 'healthy' })),
    ...route('post', paths.oauthToken, createOAuthTokenRoute(rt)),
    ...route('post', paths.oauthRevoke, createOAuthRevokeRoute(rt)),
  ]

  return {
    handlers,
    controls: createAuthControls(store, ops),
    ...createPublicAuth(store, routes, authenticator),
    /** The repo's mocks: the state, the route wrappers and the throwing token check. */
    store,
    routes,
    authenticator,
    ops,
    initialState,
  }
}
