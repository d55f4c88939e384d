import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { RESOURCE, RESOURCE_SERVER, type TestProvider } from './startProvider'

/**
 * A protected API on 127.0.0.1, port 0: `GET /data` answers 200 with the token's subject, or 401
 * with `WWW-Authenticate`. It verifies JWT access tokens with the provider's JWKS, and opaque ones
 * at its introspection endpoint, as a real resource server would.
 */
export async function startResourceServer(provider: TestProvider) {
  const jwks = createRemoteJWKSet(new URL(provider.jwksUri))
  const counts = { requests: 0, ok: 0, unauthorized: 0 }

  const subjectOf = async (token: string): Promise<string | null> => {
    if (token.split('.').length === 3) {
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: provider.issuer,
          audience: RESOURCE,
        })
        return payload.sub ?? null
      } catch {
        return null
      }
    }
    const basic = Buffer.from(`${RESOURCE_SERVER.id}:${RESOURCE_SERVER.secret}`).toString('base64')
    const response = await fetch(provider.introspectionEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    })
    const answer = (await response.json()) as { active?: boolean; sub?: string; aud?: unknown }
    const audience = Array.isArray(answer.aud) ? answer.aud : [answer.aud]
    return answer.active && audience.includes(RESOURCE) ? (answer.sub ?? null) : null
  }

  const server = createServer((req, res) => {
    counts.requests++
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    void (token ? subjectOf(token) : Promise.resolve(null)).then((sub) => {
      if (sub && req.url === '/data') {
        counts.ok++
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ sub }))
        return
      }
      counts.unauthorized++
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer error="invalid_token"',
      })
      res.end(JSON.stringify({ detail: 'Invalid token' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
