import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'
import { sourceAliases } from './packageEntries.ts'

const MOCK_WORKER = 'mockServiceWorker.js'

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

/**
 * Copies `public/` into a build, but the MSW worker only into a build on the mocks (no
 * `VITE_API_URL`). Vite's own copy takes the whole folder, so it is switched off.
 */
function copyPublicDir(): Plugin {
  let publicDir = ''
  let backend = false
  return {
    name: 'trk:copy-public-dir',
    apply: 'build',
    config: () => ({ build: { copyPublicDir: false } }),
    configResolved(config) {
      publicDir = config.publicDir
      backend = Boolean(config.env.VITE_API_URL)
    },
    async generateBundle() {
      for (const file of await filesUnder(publicDir)) {
        const fileName = relative(publicDir, file).split('\\').join('/')
        if (backend && fileName === MOCK_WORKER) continue
        this.emitFile({ type: 'asset', fileName, source: await readFile(file) })
      }
    },
  }
}

// The app. `npm run dev` serves it on the MSW service worker (public/mockServiceWorker.js);
// set VITE_API_URL (a URL, or '/' for the page's own origin) to run it against
// `npm run mock:server` or a real backend instead. A build with VITE_API_URL carries no mocks,
// no worker, no devtools bridge, no tester toolbar and no demo accounts (tests/e2e/builds.test.ts).
export default defineConfig({
  plugins: [react(), copyPublicDir()],
  resolve: { alias: sourceAliases },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { outDir: 'dist', sourcemap: true },
})
