import axios from 'axios'
import {
  attachAuthInterceptor,
  createAuthSession,
  createLocalCoordinator,
  createRefreshAdapter,
  type TokenStorage,
} from '../core'
import { createAuthApi } from './api/auth'
import type { AppServices } from './AppServices'
import { createEventLog } from './createEventLog'
import { createMockControls } from './mockControls'

export interface ServicesOptions {
  /** The API origin; '' for the page's own (the service-worker mocks). */
  baseURL: string
  mocks: boolean
  storage?: TokenStorage
  /** Dev/test only: `false` leaves this tab uncoordinated with the others (the bench's baseline). */
  tabSync?: boolean
  /** Where the Session page's history survives a reload; default sessionStorage, `null` for none. */
  logStorage?: Storage | null
}

/** The session, the one axios instance it guards, and the app's other services. */
export function createServices({
  baseURL,
  mocks,
  storage,
  tabSync = true,
  logStorage = globalThis.sessionStorage ?? null,
}: ServicesOptions): AppServices {
  const session = createAuthSession({
    baseURL,
    refresh: createRefreshAdapter({ baseURL }),
    ...(storage ? { storage } : {}),
    ...(tabSync ? {} : { coordinator: createLocalCoordinator(), channel: null }),
  })
  const events = createEventLog(session, logStorage)
  const api = axios.create({ baseURL, timeout: 30_000 })
  attachAuthInterceptor(api, session, { holdUntilSignedIn: true })
  return {
    session,
    api,
    auth: createAuthApi(baseURL),
    events,
    mock: mocks ? createMockControls(baseURL) : null,
  }
}
