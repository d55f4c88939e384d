// `npm run bench` (chaos): five tabs of the app in Chromium, 10 s tokens, strict rotation with
// reuse detection, traffic in every tab, for CHAOS_SECONDS (default 300) while a proxy in front
// of the mock HTTP server injects faults at random from CHAOS_SEED; then again with every tab's
// CPU throttled 4-6x. The baseline, in the same run against the same server and seed, is a page
// in seed 003's naive shape (`bench/chaos/naiveClient.ts`).
import { buildApp } from '../tests/e2e/support/buildApp'
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { configureMock, getMockState, resetMock } from '../mocks/control'
import { startMockServer } from '../mocks/server'
import { ADMIN, signIn } from '../tests/e2e/support/app'
import { openTabBrowser, screenOf, throttleCpu, waitUntil } from '../tests/e2e/support/tabs'
import { buildNaiveClient } from './chaos/buildNaiveClient'
import { createRandom } from './chaos/createRandom'
import { readUserView, recordUserView, resetUserView, type UserView } from './chaos/recordUserView'
import {
  FAULT_RATES,
  SLOW_REFRESH_MS,
  chaosTrace,
  startChaosServer,
  type ChaosReport,
  type ChaosServer,
} from './chaos/startChaosServer'

const TTL_SECONDS = 10
const TABS = 5
const LATENCY_MS = 100
const THROTTLE = [4, 6] as const
/** How long a signed-out tab waits for its user to sign in again. */
const USER_NOTICES_MS = 2_000
/** A tab clicks a nav link every 5-12 s; Session, which polls nothing, least often. */
const NAV_EVERY_SECONDS = [5, 12] as const
/** A throttled tab can take seconds to become clickable between two renders. */
const ACTION_TIMEOUT_MS = 15_000
const NAV_LINKS = [
  'Jobs',
  'Jobs',
  'Jobs',
  'Queue',
  'Queue',
  'Queue',
  'Pipelines',
  'Pipelines',
  'Session',
]

type Client = 'naive (seed 003)' | 'token-refresh-kit'

interface Round {
  client: Client
  dir: string
  throttled: boolean
}

interface Row {
  client: Client
  CPU: string
  'user requests failed': number
  'error on screen (s)': number
  'sign-outs': number
  'reuse detected': number
  'rejected refreshes': number
  'refresh requests': number
  'per token lifetime': number
  'user requests served': number
}

interface Measured {
  row: Row
  faults: ChaosReport['faults']
  texts: string[]
  rates: number[]
  /** The bench's own clicks and sign-ins that did not complete. */
  missed: string[]
}

function settings() {
  const seconds = Number(process.env.CHAOS_SECONDS ?? 300)
  if (!Number.isFinite(seconds) || seconds < 10) {
    throw new Error(
      `CHAOS_SECONDS must be a number of seconds, 10 or more; got "${process.env.CHAOS_SECONDS}"`,
    )
  }
  const given = process.env.CHAOS_SEED
  const seed = given === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(given)
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new Error(`CHAOS_SEED must be an integer from 0 to 4294967295; got "${given}"`)
  }
  return { seconds, seed }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/** One job that runs for the whole round, so that Jobs and Queue poll every second. */
async function startLongJob(mockURL: string): Promise<void> {
  const login = await fetch(`${mockURL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  })
  const { access_token: token } = (await login.json()) as { access_token: string }
  const form = new FormData()
  for (const [field, value] of Object.entries({
    name: 'Chaos chr20',
    service_id: 'imputation',
    reference_panel_id: 'hrc-r1.1',
    input_format: 'vcf',
    build: 'hg38',
    phasing: 'true',
  })) {
    form.set(field, value)
  }
  form.set('input_file', new Blob(['##fileformat=VCFv4.2\n20\t60343\trs1\tG\tA\n']), 'cohort.vcf')
  const job = await fetch(`${mockURL}/api/v1/jobs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  })
  if (job.status !== 201) throw new Error(`The chaos bench could not submit its job: ${job.status}`)
}

/**
 * The user at the keyboard: signs in again when the tab signs out, else clicks around. Returns
 * the actions that did not complete (a click that lost a race with a sign-out or a re-render:
 * the next turn looks again).
 */
async function drive(page: Page, tab: number, seed: number, deadline: number): Promise<string[]> {
  const missed: string[] = []
  const random = createRandom(seed, `nav:${tab}`)
  let nextNav = Date.now() + random.between(...NAV_EVERY_SECONDS) * 1000
  let outSince: number | null = null
  while (Date.now() < deadline) {
    await sleep(500)
    try {
      const screen = await screenOf(page)
      if (screen === 'signed-in') {
        outSince = null
        if (Date.now() < nextNav) continue
        nextNav = Date.now() + random.between(...NAV_EVERY_SECONDS) * 1000
        const link = NAV_LINKS[random.int(0, NAV_LINKS.length - 1)]!
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: link, exact: true })
          .click({ timeout: ACTION_TIMEOUT_MS })
      } else if (outSince === null) {
        outSince = Date.now()
      } else if (Date.now() - outSince >= USER_NOTICES_MS) {
        if (screen === 'dialog') {
          const dialog = page.getByRole('dialog')
          await dialog.getByLabel('Password').fill(ADMIN.password)
          await dialog
            .getByRole('button', { name: 'Sign in' })
            .click({ timeout: ACTION_TIMEOUT_MS })
        } else {
          await signIn(page)
        }
        outSince = null
      }
    } catch (error) {
      if (Date.now() < deadline) missed.push((error as Error).message.split('\n')[0]!)
    }
  }
  return missed
}

async function measure(
  round: Round,
  servers: { chaos: ChaosServer; mockURL: string },
  seed: number,
  seconds: number,
): Promise<Measured> {
  await resetMock()
  await configureMock({
    access_ttl_seconds: TTL_SECONDS,
    reuse_grace_seconds: 0,
    latency_ms: LATENCY_MS,
    job_run_seconds: 3_600,
  })
  await startLongJob(servers.mockURL)
  const browser = await openTabBrowser({ dir: round.dir, worker: false })
  try {
    await recordUserView(browser.context)
    const first = await browser.openTab('/login')
    await signIn(first)
    await first
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Jobs', exact: true })
      .click()
    const tabs: Page[] = [first]
    for (let i = 1; i < TABS; i++) tabs.push(await browser.openTab(i % 2 ? '/queue' : '/jobs'))
    // Before any fault: a tab that opened on the sign-in page (its session had not reached it
    // yet on a loaded machine) is signed in as its user would.
    await waitUntil(
      async () => {
        const screens = await Promise.all(tabs.map(screenOf))
        await Promise.all(
          tabs.map((tab, i) =>
            screens[i] === 'sign-in page' ? signIn(tab).catch(() => undefined) : undefined,
          ),
        )
        return screens.every((screen) => screen === 'signed-in')
      },
      { what: `all ${TABS} tabs signed in`, timeout: 90_000, interval: 1_000 },
    )
    const trace = process.env.CHAOS_TRACE ? traceRefreshes(tabs) : null
    const rates = round.throttled
      ? tabs.map(
          (_, tab) => Math.round(createRandom(seed, `cpu:${tab}`).between(...THROTTLE) * 10) / 10,
        )
      : tabs.map(() => 1)
    if (round.throttled) await Promise.all(tabs.map((page, tab) => throttleCpu(page, rates[tab]!)))
    await Promise.all(tabs.map(resetUserView))
    const before = (await getMockState()).counters
    servers.chaos.begin(seed)
    const deadline = Date.now() + seconds * 1000
    const missed = (
      await Promise.all(tabs.map((page, tab) => drive(page, tab, seed, deadline)))
    ).flat()
    const report = servers.chaos.end()
    await trace?.print()
    const after = (await getMockState()).counters
    const views: UserView[] = await Promise.all(tabs.map(readUserView))
    const sum = (pick: (view: UserView) => number) => views.reduce((n, view) => n + pick(view), 0)
    const { refreshRequests } = report.traffic
    return {
      row: {
        client: round.client,
        CPU: round.throttled ? `${THROTTLE[0]}-${THROTTLE[1]}x` : '1x',
        'user requests failed': sum((view) => view.alerts),
        'error on screen (s)': Math.round(sum((view) => view.alertSeconds)),
        'sign-outs': sum((view) => view.signOuts),
        'reuse detected': after.reuse_detected - before.reuse_detected,
        'rejected refreshes': after.refreshes_rejected - before.refreshes_rejected,
        'refresh requests': refreshRequests,
        'per token lifetime': Math.round((refreshRequests / (seconds / TTL_SECONDS)) * 100) / 100,
        'user requests served': report.traffic.userServed,
      },
      faults: report.faults,
      texts: views.flatMap((view) => view.texts),
      rates,
      missed,
    }
  } finally {
    await browser.close()
  }
}

/** CHAOS_TRACE=1: every refresh each tab sends (by hashes of the refresh tokens sent and received), every 401 a tab meets, and the faults. */
function traceRefreshes(tabs: Page[]) {
  const hash = (value: unknown) =>
    typeof value === 'string' ? createHash('sha256').update(value).digest('hex').slice(0, 6) : '-'
  const jtiOf = (authorization: string | undefined) => {
    try {
      const payload = (authorization ?? '').split('.')[1] ?? ''
      return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti
    } catch {
      return '-'
    }
  }
  chaosTrace.length = 0
  tabs.forEach((page, tab) => {
    page.on('response', (response) => {
      const url = new URL(response.url())
      if (response.status() !== 401 || url.pathname.includes('/auth/')) return
      const at = Date.now()
      const jti = jtiOf(response.request().headers()['authorization'])
      void response
        .text()
        .catch(() => '')
        .then((body) =>
          chaosTrace.push({
            at,
            line: `tab ${tab} 401 ${url.pathname} with ${jti}: ${body.slice(0, 50)}`,
            tab,
            is401: true,
          }),
        )
    })
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (path.startsWith('/api/') && !path.includes('/auth/') && request.method() !== 'OPTIONS') {
        const jti = jtiOf(request.headers()['authorization'])
        chaosTrace.push({
          at: Date.now(),
          line: `tab ${tab} sends ${request.method()} ${path} with ${jti}`,
          tab,
          sends: true,
        })
      }
      if (!request.url().includes('/auth/refresh')) return
      let sent = '-'
      try {
        sent = hash(
          (JSON.parse(request.postData() ?? '{}') as { refresh_token?: string }).refresh_token,
        )
      } catch {
        // not JSON
      }
      const at = Date.now()
      const note = (outcome: string) =>
        chaosTrace.push({
          at,
          token: sent,
          line: `tab ${tab} refresh sent ${sent} -> ${outcome} (+${((Date.now() - at) / 1000).toFixed(2)} s)`,
        })
      request
        .response()
        .then(async (response) => {
          if (!response) return note(`failed: ${request.failure()?.errorText ?? '?'}`)
          let got = '-'
          let jti = '-'
          try {
            const body = (await response.json()) as {
              refresh_token?: string
              access_token?: string
            }
            got = hash(body.refresh_token)
            jti = jtiOf(`Bearer ${body.access_token}`)
          } catch {
            // no body
          }
          note(`${response.status()} rotated to ${got}, access ${jti}`)
        })
        .catch((error: Error) => note(`failed: ${error.message.split('\n')[0]}`))
    })
  })
  return {
    async print() {
      // Each tab's own account of it: the app's session log (sessionStorage), merged by time.
      await Promise.all(
        tabs.map(async (page, tab) => {
          const raw = await page
            .evaluate(() => sessionStorage.getItem('etl-console:session-log'))
            .catch(() => null)
          const entries = JSON.parse(raw ?? '[]') as { at: number; title: string; detail: string }[]
          for (const entry of entries) {
            chaosTrace.push({
              at: entry.at,
              line: `tab ${tab} log: ${entry.title}: ${entry.detail.slice(0, 110)}`,
            })
          }
        }),
      )
      // A request a tab sends is shown only near a 401 in that tab: the rest is the usual polling.
      const near = (at: number, tab: number | undefined) =>
        chaosTrace.some(
          (other) => other.is401 && other.tab === tab && Math.abs(other.at - at) < 2_000,
        )
      const lines = [...chaosTrace]
        .filter((line) => !line.sends || near(line.at, line.tab))
        .sort((a, b) => a.at - b.at)
      const t0 = lines[0]?.at ?? 0
      const sends = new Map<string, number>()
      for (const { token } of lines) if (token) sends.set(token, (sends.get(token) ?? 0) + 1)
      const twice = new Set([...sends].filter(([, n]) => n > 1).map(([token]) => token))
      console.info(
        `  trace; refresh tokens sent more than once: ${[...twice].join(', ') || 'none'}`,
      )
      for (const { at, token, line } of lines) {
        const mark = token && twice.has(token) ? '!!' : '  '
        console.info(`    ${mark} ${((at - t0) / 1000).toFixed(2).padStart(7)}s ${line}`)
      }
    },
  }
}

/** The most frequent alert texts of a round, with their counts. */
function topTexts(texts: string[], limit = 4): string {
  const counts = new Map<string, number>()
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1)
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([text, n]) => `${n} x "${text}"`)
    .join('; ')
}

export async function run(): Promise<void> {
  const { seconds, seed } = settings()
  const mock = await startMockServer({ port: 0 })
  const chaos = await startChaosServer(mock.url)
  const appDir = await mkdtemp(join(tmpdir(), 'trk-bench-chaos-app-'))
  const naiveDir = await mkdtemp(join(tmpdir(), 'trk-bench-chaos-naive-'))
  try {
    await buildApp(appDir, { VITE_API_URL: chaos.url })
    await buildNaiveClient(naiveDir, chaos.url)
    console.info(
      `\nChaos: ${TABS} tabs, ${TTL_SECONDS} s tokens, strict reuse detection, ${LATENCY_MS} ms ` +
        `latency, ${seconds} s per row, CHAOS_SEED=${seed}`,
    )
    const rounds: Round[] = []
    for (const throttled of [false, true]) {
      rounds.push({ client: 'naive (seed 003)', dir: naiveDir, throttled })
      rounds.push({ client: 'token-refresh-kit', dir: appDir, throttled })
    }
    // CHAOS_ROWS=kit,throttled (say) runs only the rows that match every word: for tracing one.
    const only = (process.env.CHAOS_ROWS ?? '').split(',').filter(Boolean)
    const matches = (round: Round) =>
      only.every((word) =>
        word === 'throttled'
          ? round.throttled
          : word === 'normal'
            ? !round.throttled
            : round.client.includes(word),
      )
    rounds.splice(0, rounds.length, ...rounds.filter(matches))
    const results: Measured[] = []
    for (const round of rounds) {
      const started = Date.now()
      const result = await measure(round, { chaos, mockURL: mock.url }, seed, seconds)
      results.push(result)
      console.info(
        `  ${round.client}, CPU ${result.row.CPU} (${result.rates.join(', ')}): ` +
          `${Math.round((Date.now() - started) / 1000)} s` +
          (result.texts.length ? `; alerts: ${topTexts(result.texts)}` : '') +
          (result.missed.length
            ? `; ${result.missed.length} of the bench's own actions missed: ${topTexts(result.missed, 2)}`
            : ''),
      )
    }
    console.info(
      `\nChaos: what each client's users met (failed = error alerts shown; sign-outs = times a ` +
        `tab showed the sign-in page or the re-sign-in dialog, after which the bench signed in ` +
        `again; reuse and rejections from the mock's counters)`,
    )
    console.table(results.map((result) => result.row))
    console.info(
      `\nFaults injected (per refresh request: 5xx ${FAULT_RATES.refresh5xx * 100} %, dropped ` +
        `${FAULT_RATES.refreshDropped * 100} %, slow ${SLOW_REFRESH_MS[0] / 1000}-` +
        `${SLOW_REFRESH_MS[1] / 1000} s ${FAULT_RATES.refreshSlow * 100} %, 429 ` +
        `${FAULT_RATES.refresh429 * 100} %; tokens expired every ` +
        `${FAULT_RATES.expireEverySeconds.join('-')} s; newest token invalidated every ` +
        `${FAULT_RATES.invalidateEverySeconds.join('-')} s)`,
    )
    console.table(
      results.map((result) => ({
        client: result.row.client,
        CPU: result.row.CPU,
        ...result.faults,
      })),
    )
  } finally {
    await chaos.close()
    await mock.close()
    await rm(appDir, { recursive: true, force: true })
    await rm(naiveDir, { recursive: true, force: true })
  }
}
