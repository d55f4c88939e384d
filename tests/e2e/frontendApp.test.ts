import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import type { Page, Request } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { MockStateSnapshot } from '../../mocks/control'
import { startMockServer, type RunningMockServer } from '../../mocks/server'
import { installedVersion } from '../package/support/scratchApp'
import { packKit } from '../package/support/packKit'
import { sh } from '../package/support/sh'
import { ADMIN, signIn } from './support/app'
import { launchChromium, type LaunchedChromium } from './support/chromium'
import { clearSite } from './support/clearSite'
import { ensureLibBuilt } from './support/ensureLibBuilt'
import { serveStatic, type StaticServer } from './support/serveStatic'
import { NO_THROTTLING } from './support/tabs'

// examples/frontend-app as another team has it: copied out of the repository (nothing is written
// to the worktree), the packed kit installed into it from the tarball, typechecked and built with
// its own tooling, then run in Chromium against `npm run mock:server` on a free port.
const EXAMPLE = resolve(import.meta.dirname, '../../examples/frontend-app')
const APP_AXIOS = '1.7.9'
const STORAGE_KEY = 'frontend-app'
const SHORT_TTL_SECONDS = 12

let work: string
let app: string
let mock: RunningMockServer
const timings: Record<string, number> = {}

async function timed<T>(step: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now()
  try {
    return await run()
  } finally {
    timings[step] = Math.round(performance.now() - started)
  }
}

/** The mocks' control API over HTTP, as a tester's script calls it. */
async function control(path: 'state' | 'reset' | 'config' | 'scenario', body?: object) {
  const response = await fetch(`${mock.url}/__mock/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`/__mock/${path} answered ${response.status}`)
  return (await response.json()) as MockStateSnapshot
}

/** The `grant_type` of a call to the token endpoint; `null` for any other request. */
function grantOf(request: Request): string | null {
  if (request.method() !== 'POST' || new URL(request.url()).pathname !== '/oauth/token') return null
  return new URLSearchParams(request.postData() ?? '').get('grant_type')
}

const counters = async () => (await control('state')).counters

beforeAll(async () => {
  await timed('lib', ensureLibBuilt)
  work = await mkdtemp(join(tmpdir(), 'trk-frontend-app-'))
  app = join(work, 'app')
  const skipped = new Set(['node_modules', 'dist'])
  await cp(EXAMPLE, app, {
    recursive: true,
    filter: (source) => !skipped.has(basename(source)) && !source.endsWith('.tgz'),
  })
  const { tarball } = await timed('pack', () => packKit(work))
  // The committed lockfile pins the app's own dependencies; the kit comes from the tarball alone.
  await timed('install', () =>
    sh(app, 'npm', [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      tarball,
    ]),
  )
  mock = await startMockServer({ port: 0 })
}, 180_000)

afterAll(async () => {
  await mock?.close()
  if (work) await rm(work, { recursive: true, force: true })
  const seconds = (ms = 0) => `${(ms / 1000).toFixed(1)} s`
  console.info(
    `[frontend-app] lib ${seconds(timings.lib)}, pack ${seconds(timings.pack)}, npm install ${seconds(timings.install)}, tsc ${seconds(timings.tsc)}, vite build ${seconds(timings.build)}`,
  )
})

describe('examples/frontend-app, installed from the packed tarball', () => {
  it('installs this repository’s kit from the tarball, beside a lockfile that holds nothing of it', async () => {
    const lock = await readFile(join(EXAMPLE, 'package-lock.json'), 'utf8')
    expect(lock).not.toMatch(/token-refresh-kit|\.tgz|"file:/)
    const versionOf = async (dir: string) =>
      (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { version: string }).version
    expect(await versionOf(join(app, 'node_modules/token-refresh-kit'))).toBe(
      await versionOf(resolve(EXAMPLE, '../..')),
    )
  })

  it('resolves one axios, its own 1.7.9, for itself and for the kit’s axios entry', async () => {
    const tree = JSON.parse(await sh(app, 'npm', ['ls', 'axios', '--all', '--json'])) as {
      dependencies: Record<string, { version: string; dependencies?: object }>
    }
    expect(tree.dependencies.axios?.version).toBe(APP_AXIOS)
    expect(tree.dependencies['token-refresh-kit']?.dependencies).toEqual({
      axios: expect.objectContaining({ version: APP_AXIOS }),
    })
    expect(installedVersion('axios'), 'the repository runs another axios').not.toBe(APP_AXIOS)
  })

  it('typechecks with strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess, the kit’s .d.ts included', async () => {
    await timed('tsc', () => sh(app, join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.']))
  })

  it('builds with vite, bundling the app’s axios and no other', async () => {
    await timed('build', () =>
      sh(app, join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
        VITE_API_URL: mock.url,
      }),
    )
    const assets = (await readdir(join(app, 'dist/assets'))).filter((name) => name.endsWith('.js'))
    const bundle = (
      await Promise.all(assets.map((name) => readFile(join(app, 'dist/assets', name), 'utf8')))
    ).join('\n')
    // axios keeps its version as a string literal (`VERSION`), which minifying leaves in place.
    const literal = (version: string) => new RegExp(`[\`"']${version.replaceAll('.', '\\.')}[\`"']`)
    expect(bundle).toMatch(literal(APP_AXIOS))
    expect(bundle).not.toMatch(literal(installedVersion('axios')))
  })
})

describe('examples/frontend-app in Chromium against the mock server', () => {
  let site: StaticServer
  let chromium: LaunchedChromium
  let page: Page

  beforeAll(async () => {
    const built = await readdir(join(app, 'dist')).catch(() => [] as string[])
    if (!built.includes('index.html')) {
      throw new Error('examples/frontend-app was not built: see the vite build test above')
    }
    site = await serveStatic(join(app, 'dist'))
    chromium = await launchChromium({ args: NO_THROTTLING })
    page = chromium.context.pages()[0] ?? (await chromium.context.newPage())
    page.on('pageerror', (error) => console.error('[page error]', error.message))
  }, 60_000)

  afterAll(async () => {
    await chromium?.close()
    await site?.close()
  })

  // A fresh backend and a page with nothing stored: the previous test's app stops first, so no
  // scheduler of it refreshes against the new state.
  beforeEach(async () => {
    page.removeAllListeners('request')
    page.removeAllListeners('response')
    await clearSite(page, site.url, () => control('reset', {}))
    await page.goto(site.url)
    await page.getByRole('status', { name: 'Session' }).getByText('Signed out').waitFor()
  })

  /** Waits for the protected page to finish loading, and fails on the error it shows instead. */
  const pageLoaded = async () => {
    const loaded = page.getByText('Signed in as Ada Admin (admin)')
    await loaded.or(page.getByRole('alert')).waitFor()
    expect(await page.getByRole('alert').allInnerTexts()).toEqual([])
    await expect(page.getByRole('button', { name: 'Reload' }).isEnabled()).resolves.toBe(true)
  }

  const sessionText = () => page.getByRole('status', { name: 'Session' }).innerText()

  /** `METHOD /path STATUS` of every API answer the page gets, in order. */
  function recordApi() {
    const seen: string[] = []
    page.on('response', (response) => {
      const { pathname } = new URL(response.url())
      if (response.request().method() === 'OPTIONS') return
      if (pathname.startsWith('/api/') || pathname.startsWith('/oauth/')) {
        seen.push(`${response.request().method()} ${pathname} ${response.status()}`)
      }
    })
    return seen
  }

  it('signs in with the password grant, shows the protected page, and keeps the session on reload', async () => {
    await signIn(page, ADMIN)
    await pageLoaded()
    await expect(page.getByRole('list', { name: 'Pipelines' }).innerText()).resolves.toMatch(
      /ftp_multi_station_download[\s\S]*process_multistation_data/,
    )
    expect(await sessionText()).toMatch(/admin@etl\.local · authenticated · .*refreshed 0 times/)
    expect(await counters()).toMatchObject({ logins: 1, refreshes: 0, unauthorized: 0 })

    const stored = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)
    const { accessToken } = JSON.parse(stored ?? '{}') as { accessToken?: string }
    expect(accessToken).toMatch(/^ey/)
    expect(await page.content()).not.toContain(accessToken)

    await page.reload()
    await pageLoaded()
    expect(await counters()).toMatchObject({ logins: 1, refreshes: 0, unauthorized: 0 })
  })

  it('refreshes on its own while a third of a short token’s life is left, so no request meets a 401', async () => {
    await control('config', { access_ttl_seconds: SHORT_TTL_SECONDS })
    const refreshesSentAt: number[] = []
    page.on('request', (request) => {
      if (grantOf(request) === 'refresh_token') refreshesSentAt.push(Date.now())
    })
    await signIn(page, ADMIN)
    await pageLoaded()
    const stored = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)
    const { accessToken = '' } = JSON.parse(stored ?? '{}') as { accessToken?: string }
    const { exp } = JSON.parse(
      Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { exp: number }

    await expect
      .poll(counters, { timeout: 2 * SHORT_TTL_SECONDS * 1_000 })
      .toMatchObject({ refreshes: 1 })
    // Proactive: sent while the first token was still valid, by the server's own clock (the
    // same machine's), not after a request met its expiry.
    expect(refreshesSentAt).toHaveLength(1)
    expect(refreshesSentAt[0]!).toBeLessThan(exp * 1_000)
    await expect.poll(sessionText).toMatch(/refreshed 1 time\b/)

    const api = recordApi()
    await page.getByRole('button', { name: 'Reload' }).click()
    await pageLoaded()
    expect(api.sort()).toEqual(['GET /api/v1/auth/me 200', 'GET /api/v2/dags 200'])
    expect(await counters()).toMatchObject({ unauthorized: 0, refreshes_rejected: 0 })
  })

  it('answers the 401s of expired tokens with one refresh, and retries each request once', async () => {
    await signIn(page, ADMIN)
    await pageLoaded()
    const before = await counters()
    await control('scenario', { expire_access_tokens: true })

    const api = recordApi()
    await page.getByRole('button', { name: 'Reload' }).click()
    await pageLoaded()

    const after = await counters()
    expect(after.refreshes - before.refreshes, 'refreshes, counted at the server').toBe(1)
    expect(after.unauthorized - before.unauthorized).toBe(2)
    const sent = (path: string) => api.filter((line) => line.startsWith(`GET ${path} `))
    expect(sent('/api/v2/dags'), 'ky, on the kit’s fetch').toEqual([
      'GET /api/v2/dags 401',
      'GET /api/v2/dags 200',
    ])
    expect(sent('/api/v1/auth/me'), 'axios 1.7.9, through the kit’s interceptor').toEqual([
      'GET /api/v1/auth/me 401',
      'GET /api/v1/auth/me 200',
    ])
    expect(api.filter((line) => line.startsWith('POST /oauth/token'))).toEqual([
      'POST /oauth/token 200',
    ])
    await expect(page.getByRole('alert').count()).resolves.toBe(0)
    await expect.poll(sessionText).toMatch(/authenticated · .*refreshed 1 time\b/)
  })

  it('signs out: the refresh token revoked at the server, nothing left in the page, still out after a reload', async () => {
    await signIn(page, ADMIN)
    await pageLoaded()
    const stored = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)
    const { refreshToken } = JSON.parse(stored ?? '{}') as { refreshToken?: string }
    expect(refreshToken).toBeTruthy()

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').waitFor()
    expect(await sessionText()).toBe('Signed out')
    expect(await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)).toBeNull()

    const refreshAfterSignOut = await fetch(`${mock.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'frontend-app',
        refresh_token: refreshToken!,
      }),
    })
    expect(refreshAfterSignOut.status).toBe(400)
    expect(await refreshAfterSignOut.json()).toMatchObject({ error: 'invalid_grant' })

    await page.reload()
    await page.getByLabel('Email').waitFor()
    expect(await sessionText()).toBe('Signed out')
  })
})
