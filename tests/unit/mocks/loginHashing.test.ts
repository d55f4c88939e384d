import { getResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { resetMock } from '../../../mocks/control'
import { handlers } from '../../../mocks/handlers'

function login(body: Record<string, string>): Promise<Response | undefined> {
  return getResponse(
    handlers,
    new Request('http://mock.local/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }),
  )
}

/** Password hashes the mocks derive (PBKDF2) while `work` runs. */
async function hashesDuring(work: () => Promise<unknown>): Promise<number> {
  const deriveBits = vi.spyOn(crypto.subtle, 'deriveBits')
  try {
    await work()
    return deriveBits.mock.calls.length
  } finally {
    deriveBits.mockRestore()
  }
}

describe('login', () => {
  beforeEach(async () => {
    await resetMock()
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('hashes the password for an unknown email as for a known one, so timing tells nothing', async () => {
    let known: Response | undefined
    let unknown: Response | undefined
    const forKnown = await hashesDuring(async () => {
      known = await login({ email: 'admin@etl.local', password: 'wrong-password' })
    })
    const forUnknown = await hashesDuring(async () => {
      unknown = await login({ email: 'nobody@etl.local', password: 'wrong-password' })
    })
    expect(known?.status).toBe(401)
    expect(unknown?.status).toBe(401)
    expect(await unknown?.json()).toEqual(await known?.json())
    expect(forKnown).toBe(1)
    expect(forUnknown).toBe(forKnown)
  })

  it('hashes the password for a username that is a name of Object.prototype', async () => {
    const hashes = await hashesDuring(async () => {
      expect((await login({ username: 'constructor', password: 'x' }))?.status).toBe(401)
    })
    expect(hashes).toBe(1)
  })
})
