// `npm run bench` (core): single flight against a naive interceptor, the interceptor's
// per-request overhead against bare axios, and the engine's minified + gzipped size.
import axios, {
  AxiosError,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios'
import { build } from 'esbuild'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import {
  attachAuthInterceptor,
  createAuthSession,
  createMemoryStorage,
  createRefreshAdapter,
} from '../src/core'

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** An in-process backend behind an axios adapter: the same one for every contender. */
function createStubServer() {
  const counters = { refreshes: 0, sent: 0, ok: 0 }
  const valid = new Set<string>()
  let serial = 0
  const issue = () => {
    const iat = Math.floor(Date.now() / 1000)
    const token = `${encode({ alg: 'HS256' })}.${encode({ sub: 'u', iat, exp: iat + 300, jti: ++serial })}.sig`
    valid.add(token)
    return token
  }
  const answer = (config: InternalAxiosRequestConfig, status: number, data: unknown) =>
    new Promise<AxiosResponse>((resolve, reject) => {
      // One macrotask of "network": concurrent requests overlap as they would on the wire.
      setImmediate(() => {
        const response = { data, status, statusText: '', headers: {}, config, request: {} }
        if (status < 400) resolve(response)
        else reject(new AxiosError(`status ${status}`, 'ERR_BAD_REQUEST', config, {}, response))
      })
    })
  const adapter: AxiosAdapter = (config) => {
    if (config.url?.endsWith('/auth/refresh')) {
      counters.refreshes++
      return answer(config, 200, {
        access_token: issue(),
        refresh_token: `r${serial}`,
        expires_in: 300,
      })
    }
    counters.sent++
    const token = String(config.headers.get('Authorization') ?? '').slice(7)
    if (!valid.has(token)) return answer(config, 401, { detail: 'Token expired' })
    counters.ok++
    return answer(config, 200, { ok: true })
  }
  return { counters, adapter, issue, expire: () => valid.clear() }
}

async function ours(n: number) {
  const server = createStubServer()
  const session = createAuthSession({
    storage: createMemoryStorage(),
    channel: null,
    refresh: createRefreshAdapter({ adapter: server.adapter }),
  })
  session.setTokens({ accessToken: server.issue(), refreshToken: 'r0' })
  session.forceExpire()
  server.expire()
  const client = axios.create({ adapter: server.adapter })
  attachAuthInterceptor(client, session)
  const started = performance.now()
  const results = await Promise.allSettled(Array.from({ length: n }, () => client.get('/data')))
  return { ...server.counters, ms: performance.now() - started, failed: failures(results) }
}

/** The seed's shape: on every 401 call refresh and retry once; no single flight, no expiry check. */
async function naive(n: number) {
  const server = createStubServer()
  let token = server.issue()
  server.expire()
  const client = axios.create({ adapter: server.adapter })
  const refresher = axios.create({ adapter: server.adapter })
  client.interceptors.request.use((config) => {
    config.headers.set('Authorization', `Bearer ${token}`)
    return config
  })
  client.interceptors.response.use(undefined, async (error: AxiosError) => {
    const config = error.config as InternalAxiosRequestConfig & { _retry?: boolean }
    if (error.response?.status !== 401 || config._retry) throw error
    config._retry = true
    const { data } = await refresher.post('/auth/refresh', { refresh_token: 'r' })
    token = data.access_token
    return client(config)
  })
  const started = performance.now()
  const results = await Promise.allSettled(Array.from({ length: n }, () => client.get('/data')))
  return { ...server.counters, ms: performance.now() - started, failed: failures(results) }
}

const failures = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((result) => result.status === 'rejected').length

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

async function singleFlight() {
  const rows = []
  for (const n of [10, 100, 1000]) {
    for (const [name, run] of [
      ['naive (seed shape)', naive],
      ['token-refresh-kit', ours],
    ] as const) {
      const runs = []
      for (let i = 0; i < 5; i++) runs.push(await run(n))
      const last = runs.at(-1)!
      rows.push({
        N: n,
        interceptor: name,
        'refresh requests': last.refreshes,
        'requests sent': last.sent,
        failed: last.failed,
        'wall ms (median of 5)': Number(median(runs.map((r) => r.ms)).toFixed(1)),
      })
    }
  }
  console.log('\nConcurrent requests on an expired token (same in-process stub server)')
  console.table(rows)
}

async function overhead() {
  const ok: AxiosAdapter = (config) =>
    Promise.resolve({ data: {}, status: 200, statusText: 'OK', headers: {}, config, request: {} })
  const bare = axios.create({ adapter: ok })
  const wrapped = axios.create({ adapter: ok })
  // What a request + response interceptor pair that only sets the header costs in axios.
  const noop = axios.create({ adapter: ok })
  noop.interceptors.request.use((config) => {
    config.headers.set('Authorization', 'Bearer token')
    return config
  })
  noop.interceptors.response.use(undefined, (error: unknown) => Promise.reject(error))
  const session = createAuthSession({ storage: createMemoryStorage(), channel: null })
  const iat = Math.floor(Date.now() / 1000)
  session.setTokens({ accessToken: `e30.${encode({ sub: 'u', iat, exp: iat + 3600 })}.sig` })
  attachAuthInterceptor(wrapped, session)
  const count = 20_000
  const time = async (client: typeof bare) => {
    const started = performance.now()
    for (let i = 0; i < count; i++) await client.get('/data')
    return ((performance.now() - started) * 1000) / count
  }
  await time(bare)
  await time(noop)
  await time(wrapped)
  const bareRuns: number[] = []
  const noopRuns: number[] = []
  const oursRuns: number[] = []
  for (let i = 0; i < 7; i++) {
    bareRuns.push(await time(bare))
    noopRuns.push(await time(noop))
    oursRuns.push(await time(wrapped))
  }
  const b = median(bareRuns)
  const n = median(noopRuns)
  const o = median(oursRuns)
  console.log(`\nPer-request cost, ${count} sequential requests, stub adapter (median of 7)`)
  console.table([
    { client: 'bare axios', 'µs per request': Number(b.toFixed(2)), ratio: 1 },
    {
      client: 'axios + a pair that only sets the header',
      'µs per request': Number(n.toFixed(2)),
      ratio: Number((n / b).toFixed(3)),
    },
    {
      client: 'axios + attachAuthInterceptor',
      'µs per request': Number(o.toFixed(2)),
      ratio: Number((o / b).toFixed(3)),
    },
  ])
  console.log(
    `Interceptor overhead: ${(((o - b) / b) * 100).toFixed(1)} % (aim: under 5 %); a pair that only sets the header: ${(((n - b) / b) * 100).toFixed(1)} %`,
  )
}

async function size() {
  const entry = fileURLToPath(new URL('../src/core/index.ts', import.meta.url))
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    external: ['axios', 'jwt-decode', 'zustand', 'zustand/*'],
  })
  const code = result.outputFiles[0]!.contents
  const gz = gzipSync(code, { level: 9 }).length
  const text = new TextDecoder().decode(code)
  const messages = (text.match(/`[^`]*`|"[^"]*"|'[^']*'/g) ?? []).filter((s) => s.length > 24)
  const messageBytes = messages.reduce((sum, s) => sum + s.length, 0)
  const withoutMessages = gzipSync(
    messages.reduce((rest, s) => rest.replace(s, '""'), text),
    { level: 9 },
  ).length
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs)
    .map(([file, { bytesInOutput }]) => ({
      file: file.replace(/^.*src\/core\//, ''),
      min: bytesInOutput,
    }))
    .sort((a, b) => b.min - a.min)
  console.log('\nsrc/core bundled with esbuild (axios, jwt-decode, zustand external)')
  console.table([
    { what: 'minified', bytes: code.length },
    { what: 'minified + gzip -9', bytes: gz, aim: 3072, 'over by': Math.max(0, gz - 3072) },
    { what: 'of it, strings over 24 chars (error messages), minified', bytes: messageBytes },
    { what: 'minified + gzip -9 with those strings emptied', bytes: withoutMessages },
  ])
  console.log('Largest parts (minified bytes, before gzip):')
  console.table(inputs.slice(0, 6))
}

export async function run(): Promise<void> {
  await singleFlight()
  await overhead()
  await size()
}
