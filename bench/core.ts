// `npm run bench` (core): single flight against a naive interceptor, the interceptor's
// per-request overhead against bare axios, and the engine's minified + gzipped size.
import axios, {
  AxiosError,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios'
import { build, type Plugin } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { createAuthSession, createMemoryStorage, createRefreshAdapter } from '../src/core'
import { attachAuthInterceptor } from '../src/axios'
import { createDevtoolsHandle } from '../src/devtools/createDevtoolsHandle'

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
  // The refresh adapter speaks fetch: the same refresh answer, one macrotask away.
  const refreshFetch: typeof fetch = () =>
    new Promise((resolve) => {
      counters.refreshes++
      const body = { access_token: issue(), refresh_token: `r${serial}`, expires_in: 300 }
      setImmediate(() => resolve(Response.json(body)))
    })
  return { counters, adapter, refreshFetch, issue, expire: () => valid.clear() }
}

async function ours(n: number) {
  const server = createStubServer()
  const session = createAuthSession({
    storage: createMemoryStorage(),
    channel: null,
    refresh: createRefreshAdapter({ fetch: server.refreshFetch }),
  })
  session.setTokens({ accessToken: server.issue(), refreshToken: 'r0' })
  createDevtoolsHandle(session).forceExpire()
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

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? 0

export async function overhead() {
  const ok: AxiosAdapter = (config) =>
    Promise.resolve({ data: {}, status: 200, statusText: 'OK', headers: {}, config, request: {} })
  const iat = Math.floor(Date.now() / 1000)
  const token = `e30.${encode({ sub: 'u', iat, exp: iat + 3600 })}.sig`
  const bare = axios.create({ adapter: ok })
  // An app without the kit that sends a fixed token: axios merges it from the defaults.
  const fixed = axios.create({ adapter: ok, headers: { Authorization: `Bearer ${token}` } })
  // The least any interceptor pair that sets the header can cost in axios: a synchronous request
  // interceptor and a response interceptor that only handles errors.
  const floor = axios.create({ adapter: ok })
  floor.interceptors.request.use(
    (config) => config.headers.set('Authorization', `Bearer ${token}`) && config,
    undefined,
    { synchronous: true },
  )
  floor.interceptors.response.use(undefined, (error: unknown) => Promise.reject(error))
  // The same pair with an ordinary (asynchronous) request interceptor, as most code writes it.
  const plain = axios.create({ adapter: ok })
  plain.interceptors.request.use(
    (config) => config.headers.set('Authorization', `Bearer ${token}`) && config,
  )
  plain.interceptors.response.use(undefined, (error: unknown) => Promise.reject(error))
  const wrapped = axios.create({ adapter: ok })
  const session = createAuthSession({ storage: createMemoryStorage(), channel: null })
  session.setTokens({ accessToken: token })
  attachAuthInterceptor(wrapped, session)

  const contenders = [
    ['bare axios (no token)', bare],
    ['bare axios, fixed token in instance headers', fixed],
    ['+ sync header-only pair (the floor)', floor],
    ['+ async header-only pair (usual code)', plain],
    ['+ attachAuthInterceptor', wrapped],
  ] as const
  const batch = 2_000
  const rounds = 31
  // CPU time of this process, not wall time: on a shared machine the wall clock also counts the
  // moments the scheduler gives the core to another process, which is noise here, not cost.
  const time = async (client: typeof bare) => {
    const started = process.cpuUsage()
    for (let i = 0; i < batch; i++) await client.get('/data')
    const { user, system } = process.cpuUsage(started)
    return (user + system) / batch
  }
  for (let i = 0; i < 3; i++) for (const [, client] of contenders) await time(client)
  // Short batches in alternating rounds, the order rotated every round, each contender compared
  // with bare axios of the same round: a burst of load from elsewhere lands on both sides of a
  // ratio instead of on one contender's whole measurement.
  const micros = contenders.map(() => [] as number[])
  const ratios = contenders.map(() => [] as number[])
  for (let round = 0; round < rounds; round++) {
    const times = new Array<number>(contenders.length)
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length
      times[index] = await time(contenders[index]![1])
    }
    times.forEach((t, index) => {
      micros[index]!.push(t)
      ratios[index]!.push(t / times[0]!)
    })
  }
  console.log(
    `\nPer-request CPU cost on a stub adapter: ${rounds} interleaved rounds of ${batch} sequential requests each`,
  )
  console.table(
    contenders.map(([client], index) => ({
      client,
      'µs per request (median)': Number(median(micros[index]!).toFixed(2)),
      'ratio to bare (median of rounds)': Number(median(ratios[index]!).toFixed(3)),
      'ratio p25-p75': `${quantile(ratios[index]!, 0.25).toFixed(3)}-${quantile(ratios[index]!, 0.75).toFixed(3)}`,
    })),
  )
  const percent = (index: number) => ((median(ratios[index]!) - 1) * 100).toFixed(1)
  const overFixed = median(micros[4]!.map((t, round) => t / micros[1]![round]!))
  console.log(
    `Interceptor overhead: ${percent(4)} % over bare axios (aim: under 5 %); the floor for any pair that sets the header: ${percent(2)} %; over an app that sends a fixed token: ${((overFixed - 1) * 100).toFixed(1)} %`,
  )
}

const coreDir = fileURLToPath(new URL('../src/core/', import.meta.url))

/** Bundles `contents` (imports from src/core) minified, peers external; `stub` empties one file. */
async function bundle(contents: string, stub?: string) {
  const result = await build({
    stdin: { contents, resolveDir: coreDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    external: ['axios', 'jwt-decode', 'zustand', 'zustand/*'],
    plugins: stub ? [stubPlugin(stub)] : [],
  })
  const code = result.outputFiles[0]!.contents
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs
  return { code, min: code.length, gz: gzipSync(code, { level: 9 }).length, inputs }
}

/** Replaces `file` with one that exports the same names as empty functions. */
function stubPlugin(file: string): Plugin {
  return {
    name: 'stub',
    setup(on) {
      on.onLoad({ filter: new RegExp(`/${file.replace('.', '\\.')}$`) }, async ({ path }) => {
        const source = await readFile(path, 'utf8')
        const names = [...source.matchAll(/^export (?:async )?(?:function|const|class) (\w+)/gm)]
        return {
          contents: names.map(([, name]) => `export const ${name} = () => null`).join('\n'),
          loader: 'ts',
        }
      })
    },
  }
}

export async function size() {
  const whole = await bundle(`export * from './index'`)
  // What an app that signs in and calls its API pulls in: the session (with the default refresh
  // and revoke adapters, storage and tab sync it creates unless others are passed) and the
  // interceptor.
  const typicalEntry = `export { createAuthSession, attachAuthInterceptor } from './index'`
  const typical = await bundle(typicalEntry)
  const text = new TextDecoder().decode(whole.code)
  const messages = (text.match(/`[^`]*`|"[^"]*"|'[^']*'/g) ?? []).filter((s) => s.length > 24)
  const messageBytes = messages.reduce((sum, s) => sum + s.length - 2, 0)
  const withoutMessages = gzipSync(
    messages.reduce((rest, s) => rest.replace(s, '""'), text),
    { level: 9 },
  ).length
  const row = (name: string, min: number, gz: number) => ({
    bundle: name,
    'min bytes': min,
    'min+gzip bytes': gz,
    'over the 3 KB aim by': Math.max(0, gz - 3072),
  })
  console.log(
    '\nsrc/core bundled by esbuild, minified, es2022; axios, jwt-decode, zustand external',
  )
  console.table([
    row('src/core/index.ts (everything)', whole.min, whole.gz),
    row('typical app: createAuthSession + attachAuthInterceptor', typical.min, typical.gz),
    row(
      'everything, strings over 24 chars (messages) emptied',
      whole.min - messageBytes,
      withoutMessages,
    ),
  ])
  const files = Object.entries(typical.inputs)
    .map(([file, { bytesInOutput }]) => ({
      file: file.replace(/^.*src\/core\//, ''),
      min: bytesInOutput,
    }))
    .filter(({ min }) => min > 0)
    .sort((a, b) => b.min - a.min)
  // Each file's gzip share: these files bundled with and without that file's code. The entry
  // exports every file, so emptying one does not also shake out what only it imports; gzip
  // shares its dictionary across files, so gzipping each alone would not add up.
  const every = files.map(({ file }) => `export * from './${file.replace(/\.ts$/, '')}'`).join('\n')
  const all = await bundle(every)
  const rows = []
  for (const { file, min } of files) {
    rows.push({
      file,
      'min bytes': min,
      'gzip bytes it adds': all.gz - (await bundle(every, file)).gz,
    })
  }
  const shared = all.gz - rows.reduce((sum, r) => sum + r['gzip bytes it adds'], 0)
  console.log(`Typical app by file (${shared} gzip bytes are shared between files, not counted)`)
  console.table(rows)
}

export async function run(): Promise<void> {
  await singleFlight()
  await overhead()
  await size()
}
