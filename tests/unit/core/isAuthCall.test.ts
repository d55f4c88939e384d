import { describe, expect, it } from 'vitest'
import { isAuthCall } from '../../../src/core/isAuthCall'

describe('isAuthCall: the calls the interceptor and createAuthFetch leave alone', () => {
  it.each([
    '/api/v1/auth/login',
    '/api/v1/auth/register',
    '/api/v1/auth/refresh',
    'https://api.example.com/api/v1/auth/refresh?x=1',
    '/auth/token',
    '/auth/token/refresh',
    '/api/auth/v2/session/jwt/refresh',
    '/oauth/token',
    '/oauth/revoke',
    'https://tenant.auth0.com/oauth/token',
    'https://dev-1.okta.com/oauth2/default/v1/token',
    'https://dev-1.okta.com/oauth2/default/v1/revoke',
    'https://sso.example.com/realms/etl/protocol/openid-connect/token',
    'https://sso.example.com/realms/etl/protocol/openid-connect/revoke',
  ])('%s is an auth call', (url) => {
    expect(isAuthCall(url)).toBe(true)
  })

  it.each([
    '/api/v1/auth/me',
    '/api/v1/auth/logout',
    '/api/v1/jobs',
    '/api/v1/jobs/token',
    '/api/v1/tokens',
    '/oauth/userinfo',
    '/api/v2/dags/refresh_data/dagRuns',
    '/api/v1/auth/refresh-settings',
    '/api/auth/v2/users/42/keys/token',
  ])('%s is an API call, intercepted', (url) => {
    expect(isAuthCall(url)).toBe(false)
  })
})
