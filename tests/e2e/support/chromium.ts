import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// The flags this machine needs: no sandbox as root, and no background traffic, which the
// closed network refuses many connections at a time.
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface LaunchedChromium {
  context: BrowserContext
  close: () => Promise<void>
}

/**
 * Starts the system Chromium with a fresh profile. With `extensionPath`, loads that unpacked
 * MV3 extension. Extra flags (for example, ones that stop timer throttling) go in `args`.
 */
export async function launchChromium(
  options: { extensionPath?: string; args?: string[] } = {},
): Promise<LaunchedChromium> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'trk-chromium-'))
  const args = [...FLAGS, ...(options.args ?? [])]
  if (options.extensionPath) {
    args.push(
      `--disable-extensions-except=${options.extensionPath}`,
      `--load-extension=${options.extensionPath}`,
    )
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: false, // --headless=new is in args; Playwright's own headless mode drops extensions
    args,
    ignoreDefaultArgs: ['--disable-extensions', '--headless'],
    viewport: { width: 1280, height: 800 },
  })
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined)
      await rm(userDataDir, { recursive: true, force: true })
    },
  }
}
