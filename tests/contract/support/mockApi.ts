import { decodeJwt } from 'jose'

export interface ApiAnswer {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any
}

export interface CallOptions {
  json?: unknown
  body?: BodyInit
  token?: string
  headers?: Record<string, string>
}

export interface TokenSet {
  access: string
  refresh: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  user: any
}

/** A tiny client for the contract: JSON in and out, Bearer tokens, the control API. */
export function createMockApi(baseUrl: string) {
  async function call(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...options.headers }
    let body = options.body
    if (options.json !== undefined) {
      headers['Content-Type'] ??= 'application/json'
      body = JSON.stringify(options.json)
    }
    if (options.token) headers.Authorization = `Bearer ${options.token}`
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed }
  }

  async function login(identity: string, password: string): Promise<TokenSet> {
    const field = identity.includes('@') ? 'email' : 'username'
    const answer = await call('POST', '/api/v1/auth/login', {
      json: { [field]: identity, password },
    })
    if (answer.status !== 200)
      throw new Error(`login failed: ${answer.status} ${answer.body?.detail}`)
    return {
      access: answer.body.access_token,
      refresh: answer.body.refresh_token,
      user: answer.body.user,
    }
  }

  const control = {
    reset: () => call('POST', '/__mock/reset', { headers: { 'Content-Type': 'application/json' } }),
    state: () => call('GET', '/__mock/state').then((a) => a.body),
    config: (json: Record<string, unknown>) => call('POST', '/__mock/config', { json }),
    scenario: (json: Record<string, unknown>) => call('POST', '/__mock/scenario', { json }),
  }

  return {
    baseUrl,
    call,
    login,
    control,
    admin: () => login('admin@etl.local', 'admin123'),
    viewer: () => login('viewer@etl.local', 'viewer123'),
    refresh: (refreshToken: string) =>
      call('POST', '/api/v1/auth/refresh', { json: { refresh_token: refreshToken } }),
    me: (token?: string) => call('GET', '/api/v1/auth/me', token ? { token } : {}),
    claims: (token: string) => decodeJwt(token),
  }
}

export type MockApi = ReturnType<typeof createMockApi>

export function jobForm(
  overrides: Record<string, string | null> = {},
  file?: File | null,
): FormData {
  const fields: Record<string, string | null> = {
    name: 'Chromosome 20 imputation',
    service_id: 'imputation',
    reference_panel_id: '1000g-phase3',
    input_format: 'vcf.gz',
    build: 'hg38',
    phasing: 'true',
    ...overrides,
  }
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) if (value !== null) form.set(key, value)
  const upload = file === undefined ? new File(['##fileformat=VCFv4.2\n'], 'chr20.vcf.gz') : file
  if (upload) form.set('input_file', upload)
  return form
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** The same claims re-encoded with another header and signature: tampering and `alg: none`. */
export function forgeToken(
  token: string,
  options: {
    header?: Record<string, unknown>
    claims?: Record<string, unknown>
    signature?: string
  },
): string {
  const [header, payload, signature] = token.split('.')
  const decodedHeader = JSON.parse(Buffer.from(header!, 'base64url').toString()) as object
  const decodedClaims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object
  return [
    options.header ? b64({ ...decodedHeader, ...options.header }) : header,
    options.claims ? b64({ ...decodedClaims, ...options.claims }) : payload,
    options.signature ?? signature,
  ].join('.')
}
