import { delay } from 'msw'
import { db } from './db'
import { HttpError, jsonError } from './httpErrors'

export type RouteParams = Record<string, string | readonly string[] | undefined>

export interface RouteInfo {
  request: Request
  params: RouteParams
}

export type RouteResolver = (info: RouteInfo) => Promise<Response>

function toResponse(error: unknown, request: Request): Response {
  if (error instanceof HttpError) return error.toResponse()
  console.error('[token-refresh-kit mocks] handler failed', request.method, request.url, error)
  return jsonError(500, `Mock handler failed on ${request.method} ${new URL(request.url).pathname}`)
}

/**
 * Wraps every `/api` handler: counts the request, applies `latency_ms`, turns thrown
 * `HttpError`s (and bugs) into `{detail}` answers, and counts the 401s it sends.
 */
export function apiRoute(resolver: RouteResolver): RouteResolver {
  return async (info) => {
    await db.ready()
    const latency = db.update((state) => {
      state.counters.requests += 1
      return state.config.latency_ms
    })
    if (latency > 0) await delay(latency)
    let response: Response
    try {
      response = await resolver(info)
    } catch (error) {
      response = toResponse(error, info.request)
    }
    if (response.status === 401) {
      db.update((state) => {
        state.counters.unauthorized += 1
      })
    }
    return response
  }
}

/** Wraps the `/__mock` control handlers: no counting, no latency, same error handling. */
export function controlRoute(resolver: RouteResolver): RouteResolver {
  return async (info) => {
    try {
      await db.ready()
      return await resolver(info)
    } catch (error) {
      return toResponse(error, info.request)
    }
  }
}

export function param(params: RouteParams, name: string): string {
  const value = params[name]
  return typeof value === 'string' ? value : ''
}
