import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getResponse } from 'msw'
import { configureMock } from './control'
import { handlers } from './handlers'
import type { RefreshMode } from './model'

export interface MockServerOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Bodies above this are refused with 413 before any handler runs. Default 12 MB. */
  maxBodyBytes?: number
}

export interface RunningMockServer {
  url: string
  port: number
  close: () => Promise<void>
}

const DEFAULT_MAX_BODY = 12 * 1024 * 1024
const LOCAL_ORIGIN = /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/
const EXTENSION_ORIGIN = /^chrome-extension:\/\/[a-p]{32}$/
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect'])

export function isAllowedOrigin(origin: string): boolean {
  return LOCAL_ORIGIN.test(origin) || EXTENSION_ORIGIN.test(origin)
}

function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin || !isAllowedOrigin(origin)) return {}
  // Credentials, for the refresh cookie of `refresh_mode: "cookie"`: safe only because the origin
  // is echoed for local origins alone, never `*`.
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Expose-Headers': 'WWW-Authenticate, Retry-After',
    Vary: 'Origin',
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  })
  res.end(text)
}

function preflight(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin
  if (!origin || !isAllowedOrigin(origin)) {
    sendJson(res, 403, {
      detail: `CORS: origin ${origin ?? '(none)'} is not allowed; the mock server accepts http://localhost:*, http://127.0.0.1:* and chrome-extension:// origins`,
    })
    return
  }
  res.writeHead(204, {
    ...corsHeaders(origin),
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Max-Age': '600',
    'Content-Length': '0',
  })
  res.end()
}

/** Reads the body up to `limit` bytes; resolves `null` when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) over = true
      if (!over) chunks.push(chunk)
    })
    req.on('end', () => resolveBody(over ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * The URL a handler sees: always on the server's own origin, so an absolute-form target
 * (`GET http://elsewhere/...`) cannot pose as another host. `null` when the target is no URL.
 */
function targetUrl(target: string, base: string): URL | null {
  try {
    if (target.startsWith('/')) return new URL(`${base}${target}`)
    const absolute = new URL(target)
    return new URL(`${absolute.pathname}${absolute.search}`, base)
  } catch {
    return null
  }
}

function toRequest(req: IncomingMessage, url: URL, body: Buffer | null): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue
    headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD' && body !== null && body.length > 0
  return new Request(url, {
    method,
    headers,
    body: hasBody ? new Uint8Array(body) : undefined,
  })
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  base: string,
  maxBody: number,
): Promise<void> {
  const cors = corsHeaders(req.headers.origin)
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    preflight(req, res)
    return
  }
  const tooLarge = () =>
    sendJson(
      res,
      413,
      { detail: `Request body too large (limit ${maxBody} bytes)` },
      {
        ...cors,
        Connection: 'close',
      },
    )
  if (Number(req.headers['content-length'] ?? '0') > maxBody) {
    // Drained, never kept, and answered once it has all arrived: closing the connection while the
    // client still sends makes it see a reset (EPIPE) instead of the 413, depending on timing.
    req.resume()
    await new Promise((drained) => req.once('end', drained).once('error', drained))
    tooLarge()
    return
  }
  const body = await readBody(req, maxBody)
  if (body === null) {
    tooLarge()
    return
  }
  const url = targetUrl(req.url ?? '/', base)
  if (!url) {
    sendJson(
      res,
      400,
      { detail: 'Bad request target: send a path such as /api/v1/auth/health' },
      cors,
    )
    return
  }
  const request = toRequest(req, url, body)
  const response = await getResponse(handlers, request)
  if (!response) {
    const { pathname } = new URL(request.url)
    sendJson(res, 404, { detail: `Not found: ${request.method} ${pathname}` }, cors)
    return
  }
  if (response.type === 'error') {
    // HttpResponse.error(): what a client sees of a network failure is a dropped connection.
    res.socket?.destroy()
    return
  }
  const payload = Buffer.from(await response.arrayBuffer())
  const headers: Record<string, string | string[]> = { ...cors }
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-length') headers[name] = value
  })
  headers['content-length'] = String(payload.length)
  res.writeHead(response.status, headers)
  res.end(payload)
}

/** The mocks over real HTTP (`node:http` over MSW's `getResponse`), for curl, apps and tests. */
export function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const { port = 8787, host = '127.0.0.1', maxBodyBytes = DEFAULT_MAX_BODY } = options
  let base = `http://${host}:${port}`
  const server = createServer((req, res) => {
    handle(req, res, base, maxBodyBytes).catch((error: unknown) => {
      console.error('[token-refresh-kit mocks] request failed', req.method, req.url, error)
      if (!res.headersSent) sendJson(res, 500, { detail: 'Mock server error' })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 5_000
  return new Promise((resolveStart, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const actual = (server.address() as AddressInfo).port
      base = `http://${host}:${actual}`
      resolveStart({
        url: base,
        port: actual,
        close: () =>
          new Promise<void>((resolveClose) => {
            server.close(() => resolveClose())
            server.closeAllConnections()
          }),
      })
    })
  })
}

async function main(): Promise<void> {
  const port = Number(process.env.MOCK_PORT ?? 8787)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`MOCK_PORT must be a port number (0-65535), got "${process.env.MOCK_PORT}"`)
    process.exit(1)
  }
  const running = await startMockServer({ port })
  const mode = process.env.MOCK_REFRESH_MODE
  if (mode) {
    try {
      await configureMock({ refresh_mode: mode as RefreshMode })
    } catch (error) {
      console.error(`MOCK_REFRESH_MODE: ${(error as Error).message}`)
      process.exit(1)
    }
  }
  console.log(`Mock API listening on ${running.url} (refresh_mode ${mode || 'json'})`)
  const stop = () => {
    running.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error('Mock API failed to start:', error)
    process.exit(1)
  })
}
