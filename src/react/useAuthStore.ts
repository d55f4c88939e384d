import { useStore } from 'zustand'
import type { AuthState } from 'token-refresh-kit'
import { useAuthContext } from './useAuthContext'

/** Reads a slice of the session's state; re-renders only when that slice changes. */
export function useAuthStore<Slice>(selector: (state: AuthState) => Slice): Slice {
  return useStore(useAuthContext('useAuthStore()').session.store, selector)
}
