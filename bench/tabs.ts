// `npm run bench` (tabs): refresh requests per token lifetime with 1, 5 and 10 tabs of the app in
// real Chromium, the kit's cross-tab coordination against the same app with it switched off
// (`?tabsync=off`), on the service-worker mocks: with strict reuse detection (what a user
// meets), and without coordination once more with a grace window, to count its extra refreshes.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { build } from 'vite'
import { fillJobForm, mockControl, signIn } from '../tests/e2e/support/app'
import {
  counters,
  openTabBrowser,
  screenOf,
  watchTraffic,
  type TabBrowser,
} from '../tests/e2e/support/tabs'

const TTL_SECONDS = 5
const RUN_SECONDS = 30
// A realistic round trip: without coordination, tabs whose refreshes overlap in flight spend
// the same refresh token.
const LATENCY_MS = 150
const TAB_COUNTS = [1, 5, 10]
const GRACE_SECONDS = 30

type Mode = 'kit' | 'off' | 'off, grace'
const MODES: Mode[] = ['kit', 'off', 'off, grace']

interface Row {
  tabs: number
  coordination: Mode
  'refresh requests': number
  'per lifetime': number
  'reuse detected': number
  'rejected refreshes': number
  'tabs signed out': number
  'failed requests': number
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

async function measure(dir: string, tabCount: number, mode: Mode): Promise<Row> {
  const query = mode === 'kit' ? '' : '?tabsync=off'
  let browser: TabBrowser | undefined
  try {
    browser = await openTabBrowser({ dir })
    const first = await browser.openTab(`/login${query}`)
    const mock = mockControl(first)
    await mock.reset()
    await mock.config({
      access_ttl_seconds: TTL_SECONDS,
      reuse_grace_seconds: mode === 'off, grace' ? GRACE_SECONDS : 0,
      latency_ms: LATENCY_MS,
      job_run_seconds: 3_600,
    })
    await signIn(first)
    // A running job: every Jobs and Queue tab polls the API each second.
    await first
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Jobs' })
      .click()
    await fillJobForm(first, 'Bench chr20')
    await first.getByRole('button', { name: 'Submit job' }).click()
    await first.getByText('Job “Bench chr20” submitted').waitFor()
    const tabs: Page[] = [first]
    for (let i = 1; i < tabCount; i++) {
      tabs.push(await browser.openTab(`${i % 2 ? '/queue' : '/jobs'}${query}`))
    }
    // No waiting for every tab to show itself signed in: without coordination some are signed
    // out before the last one opens, which the table reports.
    const traffic = watchTraffic(tabs)
    const before = await counters(first)
    await sleep(RUN_SECONDS * 1000)
    traffic.stop()
    const after = await counters(first)
    const screens = await Promise.all(tabs.map(screenOf))
    const refreshes = after.refreshes - before.refreshes
    // Reuse and rejections count from the sign-in: opening ten tabs takes a few lifetimes.
    return {
      tabs: tabCount,
      coordination: mode,
      'refresh requests': refreshes,
      'per lifetime': Math.round((refreshes / (RUN_SECONDS / TTL_SECONDS)) * 100) / 100,
      'reuse detected': after.reuse_detected,
      'rejected refreshes': after.refreshes_rejected,
      'tabs signed out': screens.filter((screen) => screen !== 'signed-in').length,
      'failed requests': traffic.log.failures.length,
    }
  } finally {
    await browser?.close()
  }
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'trk-bench-tabs-'))
  try {
    await build({
      configFile: resolve('vite.config.ts'),
      logLevel: 'error',
      build: { outDir: dir, emptyOutDir: true, sourcemap: false },
    })
    const rows: Row[] = []
    for (const tabCount of TAB_COUNTS) {
      for (const mode of MODES) rows.push(await measure(dir, tabCount, mode))
    }
    console.info(
      `\nTabs: refresh requests per ${TTL_SECONDS} s token lifetime over ${RUN_SECONDS} s ` +
        `(reuse and rejections since sign-in), ${LATENCY_MS} ms mock latency, every tab ` +
        `polling each second; strict reuse detection except 'off, grace' (${GRACE_SECONDS} s)`,
    )
    console.table(rows)
    const find = (tabs: number, mode: Mode) =>
      rows.find((row) => row.tabs === tabs && row.coordination === mode)!
    for (const tabCount of TAB_COUNTS) {
      const kit = find(tabCount, 'kit')
      const off = find(tabCount, 'off')
      const grace = find(tabCount, 'off, grace')
      const ratio = kit['refresh requests']
        ? (grace['refresh requests'] / kit['refresh requests']).toFixed(2)
        : 'n/a'
      console.info(
        `${tabCount} tab(s): without coordination ${ratio}x the kit's refresh requests ` +
          `(grace window on); tabs signed out with strict reuse detection: kit ` +
          `${kit['tabs signed out']}, off ${off['tabs signed out']} of ${tabCount}`,
      )
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
