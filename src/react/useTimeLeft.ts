import { useCallback, useSyncExternalStore } from 'react'
import { useAuthStore } from './useAuthStore'

const currentSecond = () => Math.floor(Date.now() / 1000)

/**
 * Whole seconds until the access token expires (0 once expired), or `null` with no token.
 * Re-renders its caller once a second while mounted and a token exists; nothing else ticks.
 */
export function useTimeLeft(): number | null {
  const expiresAt = useAuthStore((s) => s.expiresAt)
  const subscribe = useCallback(
    (tick: () => void) => {
      if (expiresAt === null) return () => undefined
      const id = setInterval(tick, 1000)
      return () => clearInterval(id)
    },
    [expiresAt],
  )
  const second = useSyncExternalStore(subscribe, currentSecond, currentSecond)
  if (expiresAt === null) return null
  return Math.max(0, Math.ceil(expiresAt / 1000 - second))
}
