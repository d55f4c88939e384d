import { describe, expect, it } from 'vitest'
import { maskToken, parseCommand, serializeError } from '../../../src/devtools/protocol'
import { redactSecrets } from '../../../src/devtools/redactSecrets'
import { RefreshRejectedError } from '../../../src/core/errors'
import { ACCESS_TOKEN, HEADER, PAYLOAD, REFRESH_TOKEN, SIGNATURE } from './fakeSession'

describe('maskToken', () => {
  it('keeps the first 6 and last 4 characters of the signed part, never the signature', () => {
    const masked = maskToken(ACCESS_TOKEN)!
    expect(masked).toBe(`${HEADER.slice(0, 6)}…${PAYLOAD.slice(-4)}`)
    expect(masked).not.toContain(SIGNATURE.slice(0, 4))
    expect(masked).not.toContain(SIGNATURE.slice(-4))
  })

  it('tells apart two tokens that differ only in their claims', () => {
    const other = `${HEADER}.${Buffer.from('{"sub":"2","exp":99}').toString('base64url')}.${SIGNATURE}`
    expect(maskToken(other)).not.toBe(maskToken(ACCESS_TOKEN))
  })

  it('shows nothing of a token that is not a JWT but its length', () => {
    expect(maskToken(REFRESH_TOKEN)).toBe(`(${REFRESH_TOKEN.length} characters, not a JWT)`)
    expect(maskToken(null)).toBeNull()
    expect(maskToken('a.b.c')).toBe('…')
  })
})

describe('parseCommand', () => {
  it('accepts the six commands in their exact shape', () => {
    expect(parseCommand({ type: 'expire', extra: 'dropped' })).toEqual({ type: 'expire' })
    expect(parseCommand({ type: 'fail-next-refresh', status: 'network' })).toEqual({
      type: 'fail-next-refresh',
      status: 'network',
    })
    expect(parseCommand({ type: 'set-lifetime', seconds: 10 })).toEqual({
      type: 'set-lifetime',
      seconds: 10,
    })
  })

  it.each([
    [{ type: 'set-lifetime', seconds: 4 }],
    [{ type: 'set-lifetime', seconds: 86_401 }],
    [{ type: 'set-lifetime', seconds: '10' }],
    [{ type: 'fail-next-refresh', status: '401' }],
    [{ type: 'fail-next-refresh' }],
    [{ type: 'logout' }],
    [['expire']],
    ['expire'],
    [null],
  ])('refuses %j', (value) => {
    expect(parseCommand(value)).toBeNull()
  })
})

describe('serializeError', () => {
  it('keeps name, code and message, and drops the cause and everything else', () => {
    const error = new RefreshRejectedError('Refresh was rejected with status 401', {
      status: 401,
      cause: { refresh_token: REFRESH_TOKEN },
    })
    expect(serializeError(error)).toEqual({
      name: 'RefreshRejectedError',
      code: 'REFRESH_REJECTED',
      message: 'Refresh was rejected with status 401',
    })
    expect(serializeError('plain')).toEqual({ name: 'Error', code: null, message: 'plain' })
  })
})

describe('redactSecrets', () => {
  it('replaces the given secrets and anything shaped like a JWT, deep inside', () => {
    const value = {
      text: `token ${ACCESS_TOKEN} and ${REFRESH_TOKEN}`,
      list: [{ nested: `Bearer ${HEADER}.${PAYLOAD}.other-signature` }],
      count: 3,
      none: null,
    }
    expect(redactSecrets(value, [REFRESH_TOKEN])).toEqual({
      text: 'token [redacted] and [redacted]',
      list: [{ nested: 'Bearer [redacted]' }],
      count: 3,
      none: null,
    })
  })

  it('leaves ordinary text alone', () => {
    const value = { message: 'Refresh failed with status 503: POST /api/v1/auth/refresh' }
    expect(redactSecrets(value, [REFRESH_TOKEN, null])).toEqual(value)
  })
})
