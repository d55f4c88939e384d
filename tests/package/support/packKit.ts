import { join, resolve } from 'node:path'
import { sh } from './sh'

const ROOT = resolve(import.meta.dirname, '../../..')

export interface PackResult {
  filename: string
  files: Array<{ path: string }>
  /** The tarball's absolute path. */
  tarball: string
}

/** `npm pack` of the kit as `lib/` stands into `destination` (`--ignore-scripts`: no `prepack` build; the caller built it). */
export async function packKit(destination: string): Promise<PackResult> {
  const out = await sh(ROOT, 'npm', [
    'pack',
    '--json',
    '--ignore-scripts',
    '--pack-destination',
    destination,
  ])
  const [pack] = JSON.parse(out) as Array<Omit<PackResult, 'tarball'>>
  if (!pack) throw new Error(`npm pack reported no tarball:\n${out}`)
  return { ...pack, tarball: join(destination, pack.filename) }
}
