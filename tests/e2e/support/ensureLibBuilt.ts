import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { sh } from '../../package/support/sh'

const ROOT = resolve(import.meta.dirname, '../../..')
const SOURCES = ['src/core', 'src/axios', 'src/react', 'src/devtools', 'mocks']
const CONFIGS = ['package.json', 'packageEntries.ts', 'tsdown.config.ts', 'tsconfig.lib.json']

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null)
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  const entries = await readdir(path)
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))))
  return Math.max(info.mtimeMs, ...times)
}

/**
 * `npm run build:lib` when lib/ is missing or older than what it is built from. In `npm test`,
 * test:package has just built it and this costs a few stats; a lone e2e run gets a current lib/.
 */
export async function ensureLibBuilt(): Promise<void> {
  const built = (await stat(join(ROOT, 'lib/index.js')).catch(() => null))?.mtimeMs ?? 0
  const times = await Promise.all(
    [...SOURCES, ...CONFIGS].map((path) => newestMtime(join(ROOT, path))),
  )
  if (Math.max(...times) > built) await sh(ROOT, 'npm', ['run', 'build:lib'])
}
