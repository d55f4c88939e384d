import type { AuthUserRecord, PasswordHash } from './authModel'
import type { AuthUser } from './authOptions'

/** The records of the options' users, with their password hashes in the same order. */
export function toUserRecords(
  users: readonly AuthUser[],
  hashes: readonly PasswordHash[],
  now: number,
): AuthUserRecord[] {
  return users.map((user, index): AuthUserRecord => {
    const email = user.email.trim().toLowerCase()
    const username = user.username ?? email.split('@')[0]!
    return {
      id: user.id ?? `usr_${index + 1}`,
      email,
      username,
      name: user.name ?? username,
      role: user.role ?? 'user',
      permissions: [...(user.permissions ?? [])],
      password: hashes[index]!,
      created_at: now,
    }
  })
}
