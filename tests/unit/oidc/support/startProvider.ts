import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'

export const CLIENT_ID = 'spa'
export const REDIRECT_URI = 'http://127.0.0.1/callback'
export const RESOURCE = 'https://api.test'
export const ACCOUNT_ID = 'user-1'
/** A confidential client the resource server introspects opaque tokens with. */
export const RESOURCE_SERVER = { id: 'resource-server', secret: 'resource-server-secret' }

export interface ProviderOptions {
  /** `jwt`: access tokens the resource server verifies with the JWKS; `opaque`: it introspects them. */
  accessTokenFormat: 'jwt' | 'opaque'
  /** The lifetime of the access tokens the sign-in issues. */
  accessTokenTtlSeconds: number
  /**
   * The lifetime of those a refresh issues. Default 60: long enough that a slow machine serving
   * many requests with one never sees it expire, which would make a second refresh legitimate.
   */
  refreshedAccessTokenTtlSeconds?: number
}

const base64url = (bytes: Buffer) => bytes.toString('base64url')

/**
 * A real OpenID provider (panva's oidc-provider) on 127.0.0.1, port 0: one public client with
 * PKCE, refresh-token rotation (a reused refresh token revokes its grant, the library's default),
 * revocation and introspection. Interactions sign the test's account in and grant every scope
 * through the library's public interaction API. `counts` are read at the provider.
 */
export async function startProvider(options: ProviderOptions) {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: RESOURCE_SERVER.id,
        client_secret: RESOURCE_SERVER.secret,
        redirect_uris: [],
        grant_types: [],
        response_types: [],
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [base64url(randomBytes(16))] },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    findAccount: (_ctx, accountId) => ({
      accountId,
      claims: () => ({ sub: accountId, email: `${accountId}@etl.local`, name: 'Ada Lovelace' }),
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    rotateRefreshToken: true,
    issueRefreshToken: () => true,
    ttl: {
      AccessToken: (ctx) =>
        ctx.oidc.params?.grant_type === 'refresh_token'
          ? (options.refreshedAccessTokenTtlSeconds ?? 60)
          : options.accessTokenTtlSeconds,
      IdToken: 3600,
      RefreshToken: 3600,
      Grant: 3600,
      Session: 3600,
      Interaction: 600,
      AuthorizationCode: 60,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: (_ctx, client) => client.clientId === RESOURCE_SERVER.id,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: RESOURCE,
          accessTokenFormat: options.accessTokenFormat,
        }),
      },
    },
  })

  const counts = { refreshes: 0, grantErrors: 0, revocations: 0, grantsRevoked: 0 }
  const grantErrors: string[] = []
  provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') counts.refreshes++
  })
  provider.on('grant.error', (_ctx, error: Error & { error_detail?: string }) => {
    counts.grantErrors++
    grantErrors.push(error.error_detail ?? error.message)
  })
  provider.on('grant.revoked', () => counts.grantsRevoked++)

  const interact = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res)
    const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId: CLIENT_ID })
    grant.addOIDCScope('openid offline_access email profile')
    grant.addResourceScope(RESOURCE, 'api')
    const grantId = await grant.save()
    const result =
      details.prompt.name === 'login'
        ? { login: { accountId: ACCOUNT_ID }, consent: { grantId } }
        : { consent: { grantId } }
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false })
  }

  const callback = provider.callback()
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interact(req, res).catch((error: unknown) => {
        res.statusCode = 500
        res.end(String(error))
      })
      return
    }
    if (req.method === 'POST' && req.url === '/token/revocation') counts.revocations++
    void callback(req, res)
  })

  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    revocationEndpoint: `${issuer}/token/revocation`,
    introspectionEndpoint: `${issuer}/token/introspection`,
    jwksUri: `${issuer}/jwks`,
    counts,
    grantErrors,
    signIn: () => signIn(issuer),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type TestProvider = Awaited<ReturnType<typeof startProvider>>

/** The cookies a browser would carry through the redirects (names are unique here, paths ignored). */
function createCookieJar() {
  const cookies = new Map<string, string>()
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    store(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';')
        const at = pair.indexOf('=')
        const name = pair.slice(0, at).trim()
        const value = pair.slice(at + 1).trim()
        if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name)
        else cookies.set(name, value)
      }
    },
  }
}

/** Authorization code with PKCE through the provider's public HTTP endpoints, as a browser would. */
async function signIn(issuer: string) {
  const verifier = base64url(randomBytes(32))
  const challenge = base64url(createHash('sha256').update(verifier).digest())
  const jar = createCookieJar()
  let url = `${issuer}/auth?${new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid offline_access email profile api',
    resource: RESOURCE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: base64url(randomBytes(8)),
    prompt: 'consent',
  })}`
  let code: string | null = null
  for (let hop = 0; hop < 10 && !code; hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } })
    jar.store(response)
    const location = response.headers.get('location')
    if (!location) {
      throw new Error(`The sign-in stopped at ${response.status}: ${await response.text()}`)
    }
    await response.body?.cancel()
    if (location.startsWith(REDIRECT_URI)) {
      const answer = new URL(location).searchParams
      code = answer.get('code')
      if (!code) throw new Error(`The sign-in was refused: ${answer.get('error_description')}`)
    }
    url = new URL(location, url).href
  }
  if (!code) throw new Error('The sign-in never reached the redirect URI.')
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: CLIENT_ID,
    }),
  })
  const body = (await response.json()) as Record<string, unknown>
  if (!response.ok) throw new Error(`The code exchange failed: ${JSON.stringify(body)}`)
  return body as {
    access_token: string
    refresh_token: string
    id_token: string
    expires_in: number
    token_type: string
    scope: string
  }
}
