import axios from 'axios'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import {
  createAuthSession,
  createMemoryStorage,
  type AuthEvent,
  type AuthSessionOptions,
} from '../../../../src/core'
import { attachAuthInterceptor, type AuthInterceptorOptions } from '../../../../src/axios'
import { API, createAuthServer, mswServer } from './authServer'

const cleanups: (() => void)[] = []

/** msw/node and fake timers (not setImmediate or nextTick: node's HTTP plumbing needs them). */
export function setupTestServer() {
  beforeAll(() => mswServer.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    cleanups.splice(0).forEach((cleanup) => cleanup())
    mswServer.resetHandlers()
    vi.useRealTimers()
  })
  afterAll(() => mswServer.close())
}

export function installFakeClock(start = Date.UTC(2026, 0, 1, 9)) {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    now: start,
  })
}

/** A fresh backend, session, axios client and interceptor; signed in unless `signIn` is false. */
export function createHarness(
  options: {
    ttlSeconds?: number
    session?: AuthSessionOptions
    interceptor?: AuthInterceptorOptions
    signIn?: boolean
  } = {},
) {
  const server = createAuthServer({ ttlSeconds: options.ttlSeconds })
  mswServer.use(...server.handlers)
  const storage = options.session?.storage ?? createMemoryStorage()
  const session = createAuthSession({
    baseURL: API,
    storage,
    channel: null,
    ...options.session,
  })
  const client = axios.create({ baseURL: API })
  const eject = attachAuthInterceptor(client, session, options.interceptor)
  const events: AuthEvent[] = []
  const unsubscribe = session.onEvent((event) => events.push(event))
  cleanups.push(() => {
    session.stop()
    eject()
    unsubscribe()
  })
  if (options.signIn !== false) session.setTokens(server.login())
  return { server, session, client, storage, events }
}

/** Settles a promise without letting an unhandled rejection escape while time is advanced. */
export function settle<T>(promise: Promise<T>) {
  const result: { value?: T; error?: unknown; done: boolean } = { done: false }
  promise.then(
    (value) => Object.assign(result, { value, done: true }),
    (error: unknown) => Object.assign(result, { error, done: true }),
  )
  return result
}

/** Lets in-process HTTP (msw) finish: it runs on real macrotasks, which fake timers leave alone. */
export async function flush(rounds = 10) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Advances the fake clock in steps, letting HTTP finish after each, as real time would. */
export async function advance(ms: number, step = 500) {
  for (let left = ms; left > 0; left -= step) {
    await vi.advanceTimersByTimeAsync(Math.min(step, left))
    await flush()
  }
}
