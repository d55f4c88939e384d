import type { AxiosInstance } from 'axios'
import { createContext } from 'react'
import type { AuthSession } from 'token-refresh-kit'
import type { AuthApi } from './api/auth'
import type { EventLog } from './createEventLog'
import type { MockControlClient } from './mockControls'

/** Everything the pages talk to, created once in main.tsx (or by a test). */
export interface AppServices {
  session: AuthSession
  api: AxiosInstance
  auth: AuthApi
  events: EventLog
  /** The mock control API, or `null` against a real backend. */
  mock: MockControlClient | null
}

export const AppServicesContext = createContext<AppServices | null>(null)
