import type { AxiosError, AxiosInstance, InternalAxiosRequestConfig } from 'axios'
import {
  AuthTimeoutError,
  SessionEndedError,
  UnauthorizedError,
  UserChangedError,
  createOriginPolicy,
  isAuthCall,
  timeoutManager,
  toHttpFailure,
  type AccessTokenClaims,
  type AllowedOrigins,
  type AuthSession,
  type AuthState,
} from 'token-refresh-kit'

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Opt this request out of refreshing: a usable token is attached, a 401 is returned as is. */
    skipAuthRefresh?: boolean
    /** Set by the interceptor on the one retry it makes after a 401. */
    authKitRetried?: boolean
  }
}

export interface AuthInterceptorOptions {
  /**
   * Hold requests made while the session has ended (other than by a sign-out), and those whose
   * refresh the server rejected, until `setTokens` signs someone in: the same user gets them sent,
   * another user gets them rejected with `UserChangedError`, and a sign-out rejects them with
   * `SessionEndedError`. Default false: `SessionEndedError` at once.
   */
  holdUntilSignedIn?: boolean
  /** How long a request is held for a sign-in. Default 600 000 (10 minutes). */
  signInTimeoutMs?: number
  /** How long a request waits for a refresh. Default 30 000. */
  holdTimeoutMs?: number
  /**
   * Which requests get a token and the refresh-and-retry; it sees the config as the request was
   * made, before other request interceptors run. Default: all but login, register and refresh.
   */
  shouldIntercept?: (config: InternalAxiosRequestConfig) => boolean
  /**
   * Origins that get the token besides the instance's `baseURL` origin (the page's, when `baseURL`
   * is relative or absent): origin strings, RegExps tested against the origin, or a predicate.
   * A request to any other origin gets no token, and its 401 triggers nothing. Default none.
   */
  allowedOrigins?: AllowedOrigins
}

const PLAN = Symbol('authKitPlan')
const JUDGED = Symbol('authKitJudgedUrl')
const WAIT = 0
type Target = Pick<InternalAxiosRequestConfig, 'url' | 'baseURL' | 'allowAbsoluteUrls'>
type Planned = InternalAxiosRequestConfig & { [PLAN]?: string | typeof WAIT; [JUDGED]?: Target }

const pathOf = (config: InternalAxiosRequestConfig) => {
  try {
    return new URL(config.url ?? '', 'http://x').pathname
  } catch {
    return (config.url ?? '').split(/[?#]/)[0] ?? ''
  }
}

// Axios's own rule (`buildFullPath`): a baseURL prefixes a relative URL, and an absolute or
// protocol-relative one too when `allowAbsoluteUrls` is false.
const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i
const fullUrlOf = ({ baseURL, url, allowAbsoluteUrls }: Target) => {
  const path = url ?? ''
  if (!baseURL || (ABSOLUTE.test(path) && allowAbsoluteUrls !== false)) return path
  return path ? `${baseURL.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}` : baseURL
}

const methodOf = (config: InternalAxiosRequestConfig) => (config.method ?? 'get').toUpperCase()

const describe = (config: InternalAxiosRequestConfig) => `${methodOf(config)} ${pathOf(config)}`

/** Ended by a sign-out, here or in another tab: nothing is held for a re-sign-in. */
const signedOut = ({ endReason }: Pick<AuthState, 'endReason'>) =>
  endReason === 'logout' || endReason === 'logout-elsewhere'

const subjectOf = (user: AccessTokenClaims | null) =>
  user ? String(user.sub ?? user.user_id ?? user.email ?? '') || null : null

const bearerOf = (config: InternalAxiosRequestConfig) => {
  const header = config.headers?.get?.('Authorization')
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null
}

/**
 * Attaches the session's token to every request of `instance`, holds requests while a refresh
 * runs, and after a 401 refreshes (or reuses a refresh that already happened) and retries once.
 * Returns the eject.
 */
export function attachAuthInterceptor(
  instance: AxiosInstance,
  session: AuthSession,
  options: AuthInterceptorOptions = {},
): () => void {
  const holdTimeoutMs = options.holdTimeoutMs ?? 30_000
  const signInTimeoutMs = options.signInTimeoutMs ?? 600_000
  const shouldIntercept = options.shouldIntercept ?? ((config) => !isAuthCall(config.url ?? ''))
  const allows = createOriginPolicy(options.allowedOrigins)
  // `defaults.baseURL` is read on every request: an app may set it after attaching.
  const mayCarryToken = (config: Planned) => {
    const judged = config[JUDGED]
    if (
      judged !== undefined &&
      judged.url === config.url &&
      judged.baseURL === config.baseURL &&
      judged.allowAbsoluteUrls === config.allowAbsoluteUrls
    ) {
      return true
    }
    return allows(fullUrlOf(config), instance.defaults.baseURL)
  }

  // Who was signed in last: held requests go out only for that same user.
  let subject = subjectOf(session.getState().user)
  const unsubscribe = session.subscribe((state) => {
    subject = subjectOf(state.user) ?? subject
  })

  const waitForSignIn = (config: InternalAxiosRequestConfig, expected: string | null) =>
    new Promise<string>((resolve, reject) => {
      const timer = timeoutManager.setTimeout(
        () =>
          finish(
            new AuthTimeoutError(
              `${describe(config)} was held ${signInTimeoutMs / 60_000} min for a sign-in that did not come; raise signInTimeoutMs to hold longer.`,
            ),
          ),
        signInTimeoutMs,
      )
      const stop = session.subscribe((state) => {
        if (signedOut(state)) {
          finish(
            new SessionEndedError(
              `${describe(config)} was held for re-sign-in and dropped: the user signed out.`,
            ),
          )
          return
        }
        if (state.status !== 'authenticated' || !state.accessToken) return
        const signedIn = subjectOf(state.user)
        // A user loader answers after the tokens: judge who signed in once it has.
        if (signedIn === null && expected !== null) return
        if (signedIn === expected) finish(null, state.accessToken)
        else {
          finish(
            new UserChangedError(
              `${describe(config)} was held for re-sign-in and dropped: another user signed in, and it must not be sent on their behalf.`,
            ),
          )
        }
      })
      const finish = (error: Error | null, token?: string) => {
        timeoutManager.clearTimeout(timer)
        stop()
        if (error) reject(error)
        else resolve(token as string)
      }
    })

  const tokenFor = async (config: InternalAxiosRequestConfig, rejectedToken?: string) => {
    const expected = subject
    try {
      return await session.getAccessToken({ timeoutMs: holdTimeoutMs, rejectedToken })
    } catch (error) {
      const state = session.getState()
      const holdable =
        options.holdUntilSignedIn &&
        state.status === 'ended' &&
        !signedOut(state) &&
        (error as { code?: string }).code === 'SESSION_ENDED'
      if (!holdable) throw error
      return waitForSignIn(config, expected)
    }
  }

  // A request that waited for a cookie session to resume, and found nobody signed in, goes out
  // without a token, as any request made while nobody is signed in does.
  const orAnonymous = (config: InternalAxiosRequestConfig) => (error: unknown) => {
    if (session.getState().status === 'anonymous') return config
    throw error
  }

  const { request, response } = instance.interceptors

  // The header value is built once per token, not once per request.
  let lastToken = ''
  let lastHeader = ''
  const authorize = (config: InternalAxiosRequestConfig, token: string) => {
    if (token !== lastToken) lastHeader = `Bearer ${(lastToken = token)}`
    config.headers.set('Authorization', lastHeader)
    return config
  }

  // What the request needs, decided once in the first `runWhen` and read by the second: the
  // token could expire between the two calls, and then neither or both would run. A token means
  // the synchronous fast path; WAIT means the async path; undefined means neither runs.
  const plan = (config: Planned) => {
    if (!shouldIntercept(config) || config.authKitRetried) return (config[PLAN] = undefined)
    if (!allows(fullUrlOf(config), instance.defaults.baseURL)) return (config[PLAN] = undefined)
    const { url, baseURL, allowAbsoluteUrls } = config
    config[JUDGED] = { url, baseURL, allowAbsoluteUrls }
    const token = session.peekAccessToken()
    return (config[PLAN] =
      token ??
      (config.skipAuthRefresh || session.getState().status === 'anonymous' ? undefined : WAIT))
  }
  // Synchronous: when every request interceptor that applies is, axios calls the adapter without
  // first going through a promise per interceptor. `runWhen` saw the config before the
  // interceptors that run ahead of ours, which may have changed its URL: the origin is judged again
  // unless the URL is the one already judged.
  const fastId = request.use(
    (config: Planned) => {
      if (!mayCarryToken(config)) return config
      // An interceptor registered before ours may have handed on a copy without the plan.
      const token = config[PLAN] ?? session.peekAccessToken()
      return typeof token === 'string' ? authorize(config, token) : config
    },
    undefined,
    { synchronous: true, runWhen: (config) => typeof plan(config) === 'string' },
  )
  const waitId = request.use(
    (config: Planned) =>
      mayCarryToken(config)
        ? tokenFor(config).then((fresh) => authorize(config, fresh), orAnonymous(config))
        : config,
    undefined,
    { runWhen: (config: Planned) => config[PLAN] === WAIT },
  )

  const responseId = response.use(undefined, async (thrown: unknown) => {
    const error = thrown as AxiosError | null
    const config = error?.config
    if (
      // Structural, as axios.isAxiosError is: importing axios here would bundle it into every app.
      error?.isAxiosError !== true ||
      !config ||
      error.response?.status !== 401 ||
      config.skipAuthRefresh ||
      !shouldIntercept(config) ||
      !mayCarryToken(config)
    ) {
      throw error
    }
    const sent = bearerOf(config)
    if (!sent) throw error
    if (config.authKitRetried) {
      throw new UnauthorizedError(
        `${describe(config)} was answered 401 again after a refresh and one retry: the server refuses this user or call, not the token's age. Check its permissions and the server's token validation.`,
        { cause: toHttpFailure(error) },
      )
    }
    const token = await tokenFor(config, sent)
    session.noteRetried({ method: methodOf(config), url: pathOf(config) })
    return instance.request({ ...authorize(config, token), authKitRetried: true })
  })

  return () => {
    request.eject(fastId)
    request.eject(waitId)
    response.eject(responseId)
    unsubscribe()
  }
}
