import { readFile, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import prettier from 'prettier'
import { replaceBenchSection } from './replaceBenchSection'

export const BENCHMARKS_DOC = new URL('../docs/benchmarks.md', import.meta.url)

/** The line that says where and when figures were measured: they hold for that machine only. */
export function describeRun(startedAt: Date, command: string): string {
  const cores = cpus()
  return (
    `Measured on ${startedAt.toISOString().slice(0, 10)} with \`${command}\`: Node ` +
    `${process.versions.node}, ${cores.length} CPUs (${cores[0]?.model.trim() ?? 'unknown'}), ` +
    `load ${loadavg()[0]!.toFixed(1)} at the start.`
  )
}

/** Writes one suite's figures between its markers in docs/benchmarks.md, formatted as Prettier would. */
export async function writeBenchSection(suite: string, body: string, doc = BENCHMARKS_DOC) {
  const text = replaceBenchSection(await readFile(doc, 'utf8'), suite, body)
  const options = await prettier.resolveConfig(doc)
  await writeFile(doc, await prettier.format(text, { ...options, filepath: doc.pathname }))
}
