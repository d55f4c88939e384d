import { BENCH_SUITES } from './benchSuites'
import { captureConsole } from './captureConsole'
import { describeRun, writeBenchSection } from './writeBenchSection'

// `npm run bench`: every benchmark of the project, each printing its own tables; `npm run bench
// -- core mockServer` runs those only. Each module measures its baseline in the same run, so
// ratios hold on any machine. What a suite prints is also written into docs/benchmarks.md
// between its markers, stamped with the date, Node and the CPUs (`--no-write` only prints).
// The chaos suite reads CHAOS_SECONDS (default 300) and CHAOS_SEED (default: a new one, printed).
const suites: readonly string[] = BENCH_SUITES

const args = process.argv.slice(2)
const write = !args.includes('--no-write')
const names = args.filter((arg) => arg !== '--no-write')
const unknown = names.filter((name) => !suites.includes(name))
if (unknown.length > 0) {
  console.error(`Unknown bench suite ${unknown.join(', ')}: the suites are ${suites.join(', ')}.`)
  process.exit(2)
}

for (const suite of names.length > 0 ? suites.filter((s) => names.includes(s)) : suites) {
  const { run } = (await import(`./${suite}.ts`)) as { run: () => Promise<void> }
  const env = suite === 'chaos' ? chaosEnv() : ''
  const stamp = describeRun(new Date(), `${env}npm run bench -- ${suite}`)
  const capture = captureConsole()
  try {
    await run()
  } catch (error) {
    capture.stop()
    throw error
  }
  // A suite that failed writes nothing: the figures of its last complete run stay.
  const printed = capture.stop()
  if (write) await writeBenchSection(suite, `${stamp}\n\n${printed}`)
}

/** The chaos settings a reader needs to run the same rows again. */
function chaosEnv(): string {
  return ['CHAOS_SECONDS', 'CHAOS_SEED', 'CHAOS_ROWS']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]} `)
    .join('')
}
