import type { PasswordHash } from './auth/authModel'
import { fromBase64Url, toBase64Url } from './random'

/** Modest on purpose: a mock must sign in fast in tests; real servers use far more. */
export const PBKDF2_ITERATIONS = 10_000

/**
 * What a login checks the password against when no account matches: the same PBKDF2 work as a
 * real account, so the answer's timing does not tell which emails are registered. No password
 * derives to this hash.
 */
export const NO_ACCOUNT_PASSWORD: PasswordHash = {
  algorithm: 'PBKDF2-SHA256',
  iterations: PBKDF2_ITERATIONS,
  salt: 'bm8tYWNjb3VudC1zYWx0IQ',
  hash: 'A'.repeat(43),
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  )
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    material,
    256,
  )
  return new Uint8Array(bits)
}

export async function hashPassword(
  password: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await derive(password, salt, iterations)
  return {
    algorithm: 'PBKDF2-SHA256',
    iterations,
    salt: toBase64Url(salt),
    hash: toBase64Url(hash),
  }
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const hash = await derive(password, fromBase64Url(stored.salt), stored.iterations)
  const expected = fromBase64Url(stored.hash)
  if (hash.length !== expected.length) return false
  let diff = 0
  for (let i = 0; i < hash.length; i++) diff |= hash[i]! ^ expected[i]!
  return diff === 0
}
