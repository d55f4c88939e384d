import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { startMockServer, type RunningMockServer } from '../../../mocks/server'
import { buildApp } from './buildApp'
import { launchChromium, type LaunchedChromium } from './chromium'
import { serveStatic, type StaticServer } from './serveStatic'
import { NO_THROTTLING } from './tabs'

export interface AppOnMockServer {
  mock: RunningMockServer
  site: StaticServer
  chromium: LaunchedChromium
  page: Page
  /** Stops all of it and removes the build. */
  close: () => Promise<void>
}

/**
 * The app built for `npm run mock:server` (a free port, `VITE_API_URL` set to it, plus `env`),
 * served over HTTP, and a Chromium page: for what only real HTTP shows (upload progress, an
 * HttpOnly cookie).
 */
export async function startAppOnMockServer(
  name: string,
  env: Record<string, string> = {},
): Promise<AppOnMockServer> {
  const mock = await startMockServer({ port: 0 })
  const appDir = await mkdtemp(join(tmpdir(), `trk-e2e-${name}-`))
  await buildApp(appDir, { VITE_API_URL: mock.url, ...env })
  const site = await serveStatic(appDir)
  const chromium = await launchChromium({ args: NO_THROTTLING })
  const page = chromium.context.pages()[0] ?? (await chromium.context.newPage())
  page.on('pageerror', (error) => console.error('[page error]', error.message))
  return {
    mock,
    site,
    chromium,
    page,
    close: async () => {
      await chromium.close()
      await site.close()
      await mock.close()
      await rm(appDir, { recursive: true, force: true })
    },
  }
}
