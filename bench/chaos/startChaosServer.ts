import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { runScenario } from '../../mocks/control'
import { isAllowedOrigin } from '../../mocks/server'
import { createRandom, type Random } from './createRandom'

/** How often each fault strikes: per refresh request, and per second for the timed ones. */
export const FAULT_RATES = {
  /** Answered 500, 502 or 503 (no Retry-After) without reaching the server. */
  refresh5xx: 0.08,
  /** The connection is destroyed before the server sees the request. */
  refreshDropped: 0.06,
  /** Answered after 11-13 s; the server does the work (and rotates) somewhere in between. */
  refreshSlow: 0.05,
  /** Answered 429 with `Retry-After: 2-5` without reaching the server. */
  refresh429: 0.06,
  /** The control API's `expire_access_tokens`, every 20-60 s. */
  expireEverySeconds: [20, 60] as const,
  /** The newest accepted access token answered 401 `Invalid token`, every 15-45 s. */
  invalidateEverySeconds: [15, 45] as const,
}

export const SLOW_REFRESH_MS = [11_000, 13_000] as const

export interface FaultCounts {
  'refresh 5xx': number
  'refresh dropped': number
  'refresh slow': number
  'refresh 429': number
  'tokens expired': number
  'token invalidated': number
  /** 401 `Invalid token` answers sent for invalidated tokens. */
  'invalid-token 401s': number
  /** Refresh requests that arrived before a 429's `Retry-After` had passed. */
  'refreshes inside Retry-After': number
}

export interface TrafficCounts {
  /** Every `POST /auth/refresh` a client sent, faulted or not. */
  refreshRequests: number
  /** Calls other than sign-in and refresh. */
  userRequests: number
  /** ... of which answered under 400. */
  userServed: number
}

export interface ChaosReport {
  faults: FaultCounts
  traffic: TrafficCounts
}

export interface ChaosServer {
  url: string
  /** Starts a round: counters at zero, every fault stream drawn afresh from `seed`. */
  begin: (seed: number) => void
  /** Stops the timed faults and returns what the round injected and saw. */
  end: () => ChaosReport
  close: () => Promise<void>
}

const REFRESH_PATH = '/api/v1/auth/refresh'
const UNGUARDED = /^\/api\/v1\/auth\/(login|register|refresh)\/?$/

type RefreshFault = 'none' | '5xx' | 'dropped' | 'slow' | '429'

interface RefreshPlan {
  fault: RefreshFault
  status: number
  retryAfter: number
  slowMs: number
  /** Share of the slow delay spent before the request reaches the server. */
  before: number
}

/** The n-th refresh's fault: four draws every time, so the stream stays aligned across rows. */
function planRefresh(random: Random): RefreshPlan {
  const roll = random.next()
  const status = [500, 502, 503][random.int(0, 2)]!
  const retryAfter = random.int(2, 5)
  const slowMs = random.between(...SLOW_REFRESH_MS)
  const before = random.next()
  const odds: [RefreshFault, number][] = [
    ['5xx', FAULT_RATES.refresh5xx],
    ['dropped', FAULT_RATES.refreshDropped],
    ['slow', FAULT_RATES.refreshSlow],
    ['429', FAULT_RATES.refresh429],
  ]
  let fault: RefreshFault = 'none'
  let edge = 0
  for (const [kind, odd] of odds) {
    edge += odd
    if (roll < edge) {
      fault = kind
      break
    }
  }
  return { fault, status, retryAfter, slowMs, before }
}

function jtiOf(authorization: string | undefined): string | null {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
  const payload = token?.split('.')[1]
  if (!payload) return null
  try {
    const { jti } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti?: unknown }
    return typeof jti === 'string' ? jti : null
  } catch {
    return null
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

interface Upstream {
  status: number
  headers: IncomingMessage['headers']
  body: Buffer
}

const emptyCounts = (): ChaosReport => ({
  faults: {
    'refresh 5xx': 0,
    'refresh dropped': 0,
    'refresh slow': 0,
    'refresh 429': 0,
    'tokens expired': 0,
    'token invalidated': 0,
    'invalid-token 401s': 0,
    'refreshes inside Retry-After': 0,
  },
  traffic: { refreshRequests: 0, userRequests: 0, userServed: 0 },
})

/** CHAOS_TRACE=1: the faults as they strike, for `bench/chaos.ts` to print beside the tabs' calls. */
export const chaosTrace: {
  at: number
  line: string
  token?: string
  tab?: number
  is401?: boolean
  sends?: boolean
}[] = []

/**
 * A fault-injecting proxy on 127.0.0.1 (a free port) in front of the mock HTTP server at
 * `upstream`. Faults come from seeded streams: the n-th refresh meets the same fault in every
 * round begun with the same seed, and the timed faults strike at the same seconds.
 */
export async function startChaosServer(upstream: string): Promise<ChaosServer> {
  const target = new URL(upstream)
  // Idle sockets are let go before the mock server's 5 s keep-alive timeout closes them.
  const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 4_000 })
  let counts = emptyCounts()
  let refreshRandom = createRandom(0, 'refresh')
  const invalidated = new Set<string>()
  let newestAccepted: string | null = null
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let retryAfterUntil = 0

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, ms)
    timers.add(timer)
  }
  const sleep = (ms: number) => new Promise<void>((done) => later(ms, done))

  const send = (req: IncomingMessage, body: Buffer) =>
    new Promise<Upstream>((resolve, reject) => {
      const headers = { ...req.headers, host: target.host }
      const call = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers,
          agent,
        },
        (res) => {
          readBody(res).then(
            (data) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: data }),
            reject,
          )
        },
      )
      call.on('error', (error: NodeJS.ErrnoException) =>
        reject(Object.assign(error, { reused: call.reusedSocket })),
      )
      call.end(body)
    })

  // The mock server closes idle keep-alive sockets; a request that met one being closed never
  // reached it, so it is sent once more on a new socket (Node's documented pattern).
  const forward = (req: IncomingMessage, body: Buffer) =>
    send(req, body).catch((error: NodeJS.ErrnoException & { reused?: boolean }) => {
      if (error.reused && error.code === 'ECONNRESET') return send(req, body)
      throw error
    })

  const cors = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin
    if (!origin || !isAllowedOrigin(origin)) return {}
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Expose-Headers': 'WWW-Authenticate, Retry-After',
      Vary: 'Origin',
    }
  }

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    detail: string,
    headers: Record<string, string> = {},
  ) => {
    const text = JSON.stringify({ detail })
    res.writeHead(status, {
      ...cors(req),
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    })
    res.end(text)
  }

  const relay = (res: ServerResponse, reply: Upstream) => {
    if (res.destroyed || res.writableEnded) return
    const headers = { ...reply.headers }
    delete headers.connection
    delete headers['keep-alive']
    delete headers['transfer-encoding']
    res.writeHead(reply.status, headers)
    res.end(reply.body)
  }

  const refresh = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    counts.traffic.refreshRequests++
    if (Date.now() < retryAfterUntil) counts.faults['refreshes inside Retry-After']++
    const plan = planRefresh(refreshRandom)
    switch (plan.fault) {
      case '5xx':
        counts.faults['refresh 5xx']++
        return answer(req, res, plan.status, 'Refresh failed: upstream error (chaos)')
      case 'dropped':
        counts.faults['refresh dropped']++
        req.socket.destroy()
        return
      case '429':
        counts.faults['refresh 429']++
        retryAfterUntil = Math.max(retryAfterUntil, Date.now() + plan.retryAfter * 1000)
        return answer(req, res, 429, `Too many refreshes: retry in ${plan.retryAfter} s (chaos)`, {
          'Retry-After': String(plan.retryAfter),
        })
      case 'slow': {
        counts.faults['refresh slow']++
        const started = Date.now()
        await sleep(plan.slowMs * plan.before)
        // Sent on even if the client gave up meanwhile: a server finishes what it started, and
        // a refresh token it rotates then is spent whether or not the answer is read.
        const reply = await forward(req, body)
        await sleep(Math.max(0, plan.slowMs - (Date.now() - started)))
        return relay(res, reply)
      }
      default:
        return relay(res, await forward(req, body))
    }
  }

  const user = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    counts.traffic.userRequests++
    const jti = jtiOf(req.headers.authorization)
    if (jti && invalidated.has(jti)) {
      counts.faults['invalid-token 401s']++
      return answer(req, res, 401, 'Invalid token: signature verification failed', {
        'WWW-Authenticate':
          'Bearer error="invalid_token", error_description="Invalid token: signature verification failed"',
      })
    }
    const reply = await forward(req, body)
    if (reply.status < 400) {
      counts.traffic.userServed++
      if (jti) newestAccepted = jti
    }
    relay(res, reply)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req)
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (req.method === 'OPTIONS' || !path.startsWith('/api/'))
      return relay(res, await forward(req, body))
    if (req.method === 'POST' && path === REFRESH_PATH) return refresh(req, res, body)
    if (UNGUARDED.test(path)) return relay(res, await forward(req, body))
    return user(req, res, body)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const { message, code, reused } = error as NodeJS.ErrnoException & { reused?: boolean }
      console.error('[chaos] proxying failed', req.method, req.url, message, code, { reused })
      if (!res.headersSent && !res.destroyed) answer(req, res, 502, 'Chaos proxy: upstream failed')
      else res.destroy()
    })
  })
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready))
  const { port } = server.address() as AddressInfo

  const stopTimers = () => {
    for (const timer of timers) clearTimeout(timer)
    timers.clear()
  }

  const every = (random: Random, [min, max]: readonly [number, number], strike: () => void) => {
    const next = () =>
      later(random.between(min, max) * 1000, () => {
        strike()
        next()
      })
    next()
  }

  return {
    url: `http://127.0.0.1:${port}`,
    begin(seed) {
      stopTimers()
      counts = emptyCounts()
      refreshRandom = createRandom(seed, 'refresh')
      invalidated.clear()
      newestAccepted = null
      retryAfterUntil = 0
      const trace = (what: string) => {
        if (process.env.CHAOS_TRACE) chaosTrace.push({ at: Date.now(), line: what })
      }
      every(createRandom(seed, 'expire'), FAULT_RATES.expireEverySeconds, () => {
        trace('fault: every access token expired')
        counts.faults['tokens expired']++
        runScenario({ expire_access_tokens: true }).catch((error: unknown) =>
          console.error('[chaos] expiring the access tokens failed:', (error as Error).message),
        )
      })
      every(createRandom(seed, 'invalidate'), FAULT_RATES.invalidateEverySeconds, () => {
        if (!newestAccepted || invalidated.has(newestAccepted)) return
        trace(`fault: token ${newestAccepted} invalidated`)
        counts.faults['token invalidated']++
        invalidated.add(newestAccepted)
      })
    },
    end() {
      stopTimers()
      return structuredClone(counts)
    },
    close: () =>
      new Promise<void>((done) => {
        stopTimers()
        server.close(() => done())
        server.closeAllConnections()
        agent.destroy()
      }),
  }
}
