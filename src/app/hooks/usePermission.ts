import { useAuthStore } from 'token-refresh-kit/react'

export interface Permission {
  allowed: boolean
  /** False while nobody is signed in (a re-sign-in pending): then nothing is known to be denied. */
  known: boolean
  role: string
}

/** Whether the signed-in user's token grants `permission` (admins hold `*` or every one). */
export function usePermission(permission: string): Permission {
  const permissions = useAuthStore((s) => s.user?.permissions)
  const role = useAuthStore((s) => s.user?.role ?? 'unknown')
  const known = Array.isArray(permissions)
  const allowed = known && (permissions.includes(permission) || permissions.includes('*'))
  return { allowed, known, role }
}
