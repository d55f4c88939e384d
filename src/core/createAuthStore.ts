import { createStore } from 'zustand/vanilla'
import type { AuthState } from './types'

/** The session's state in a zustand vanilla store, as it starts: nobody signed in. */
export const createAuthStore = () =>
  createStore<AuthState>()(() => ({
    status: 'anonymous',
    accessToken: null,
    refreshToken: null,
    expiresAt: null,
    user: null,
    refreshCount: 0,
    lastRefreshAt: null,
    error: null,
    endReason: null,
  }))
