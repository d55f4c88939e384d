import { mockAuth } from './db'
import type { RouteParams } from './auth/createRoutes'

export type { RouteInfo, RouteParams, RouteResolver } from './auth/createRoutes'

/** The mocks' routes are their auth instance's: one counter of requests and 401s, one latency. */
export const { apiRoute, controlRoute } = mockAuth.routes

export function param(params: RouteParams, name: string): string {
  const value = params[name]
  return typeof value === 'string' ? value : ''
}
