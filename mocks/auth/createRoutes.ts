import { delay } from 'msw'
import { HttpError, jsonError } from '../httpErrors'
import type { AuthState } from './authModel'
import type { StateStore } from './createStateStore'
import { MockStorageBusyError } from './stateStorage'

export type RouteParams = Record<string, string | readonly string[] | undefined>

export interface RouteInfo {
  request: Request
  params: RouteParams
  /** The request's cookies as MSW gathered them (Cookie header, page cookies, MSW's jar). */
  cookies?: Record<string, string>
}

export type RouteResolver = (info: RouteInfo) => Promise<Response>

export interface Routes {
  /**
   * Wraps a handler: counts the request, applies `latency_ms`, turns thrown `HttpError`s (and
   * bugs) into `{detail}` answers, and counts the 401s it sends. The handling is one
   * transaction; the latency waits outside it, so tabs never queue behind it.
   */
  apiRoute(resolver: RouteResolver): RouteResolver
  /** Wraps the control handlers: no counting, no latency, same error handling. */
  controlRoute(resolver: RouteResolver): RouteResolver
}

function toResponse(error: unknown, request: Request): Response {
  if (error instanceof HttpError) return error.toResponse()
  if (error instanceof MockStorageBusyError) {
    return jsonError(503, error.message, { 'Retry-After': '1' })
  }
  console.error('[token-refresh-kit mocks] handler failed', request.method, request.url, error)
  return jsonError(500, `Mock handler failed on ${request.method} ${new URL(request.url).pathname}`)
}

export function createRoutes(store: StateStore<AuthState>): Routes {
  async function respond(resolver: RouteResolver, info: RouteInfo): Promise<Response> {
    let response: Response
    try {
      response = await resolver(info)
    } catch (error) {
      response = toResponse(error, info.request)
    }
    if (response.status === 401) {
      store.update((state) => {
        state.counters.unauthorized += 1
      })
    }
    return response
  }

  return {
    apiRoute: (resolver) => async (info) => {
      try {
        const answered = await store.transaction(async () => {
          const latency = store.update((state) => {
            state.counters.requests += 1
            return state.config.latency_ms
          })
          return latency > 0 ? latency : respond(resolver, info)
        })
        if (typeof answered !== 'number') return answered
        await delay(answered)
        return await store.transaction(() => respond(resolver, info))
      } catch (error) {
        return toResponse(error, info.request)
      }
    },
    controlRoute: (resolver) => async (info) => {
      try {
        return await store.transaction(() => resolver(info))
      } catch (error) {
        return toResponse(error, info.request)
      }
    },
  }
}
