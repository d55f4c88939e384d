import axios, { type AxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios'
import { AuthTimeoutError, UnauthorizedError, UserChangedError } from './errors'
import { timeoutManager } from './timeoutManager'
import type { AccessTokenClaims, AuthSession } from './types'

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
   * another user gets them rejected with `UserChangedError`. Default false: `SessionEndedError`.
   */
  holdUntilSignedIn?: boolean
  /** How long a request is held for a sign-in. Default 600 000 (10 minutes). */
  signInTimeoutMs?: number
  /** How long a request waits for a refresh. Default 30 000. */
  holdTimeoutMs?: number
  /** Which requests get a token and the refresh-and-retry. Default: all but login, register and refresh. */
  shouldIntercept?: (config: InternalAxiosRequestConfig) => boolean
}

const AUTH_CALLS = /\/auth\/(login|register|refresh|token)\/?(?:[?#]|$)/

const pathOf = (config: InternalAxiosRequestConfig) => {
  try {
    return new URL(config.url ?? '', 'http://x').pathname
  } catch {
    return (config.url ?? '').split(/[?#]/)[0] ?? ''
  }
}

const describe = (config: InternalAxiosRequestConfig) =>
  `${(config.method ?? 'get').toUpperCase()} ${pathOf(config)}`

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
  const shouldIntercept =
    options.shouldIntercept ?? ((config) => !AUTH_CALLS.test(config.url ?? ''))

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
        if (state.status !== 'authenticated' || !state.accessToken) return
        if (subjectOf(state.user) === expected) finish(null, state.accessToken)
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
      const { status, endReason } = session.getState()
      const holdable =
        options.holdUntilSignedIn &&
        status === 'ended' &&
        endReason !== 'logout' &&
        endReason !== 'logout-elsewhere' &&
        (error as { code?: string }).code === 'SESSION_ENDED'
      if (!holdable) throw error
      return waitForSignIn(config, expected)
    }
  }

  const requestId = instance.interceptors.request.use((config) => {
    if (!shouldIntercept(config) || config.authKitRetried) return config
    const token = session.peekAccessToken()
    if (token || config.skipAuthRefresh || session.getState().status === 'anonymous') {
      if (token) config.headers.set('Authorization', `Bearer ${token}`)
      return config
    }
    return tokenFor(config).then((fresh) => {
      config.headers.set('Authorization', `Bearer ${fresh}`)
      return config
    })
  })

  const responseId = instance.interceptors.response.use(undefined, async (error: unknown) => {
    const config = (error as AxiosError | null)?.config
    if (
      !axios.isAxiosError(error) ||
      !config ||
      error.response?.status !== 401 ||
      config.skipAuthRefresh ||
      !shouldIntercept(config)
    ) {
      throw error
    }
    const sent = bearerOf(config)
    if (!sent) throw error
    if (config.authKitRetried) {
      throw new UnauthorizedError(
        `${describe(config)} was answered 401 again after a refresh and one retry: the server refuses this user or call, not the token's age. Check its permissions and the server's token validation.`,
        { cause: error },
      )
    }
    const token = await tokenFor(config, sent)
    session.emit({
      type: 'retried',
      method: (config.method ?? 'get').toUpperCase(),
      url: pathOf(config),
    })
    config.headers.set('Authorization', `Bearer ${token}`)
    return instance.request({ ...config, authKitRetried: true })
  })

  return () => {
    instance.interceptors.request.eject(requestId)
    instance.interceptors.response.eject(responseId)
    unsubscribe()
  }
}
