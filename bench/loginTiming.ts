import { resetMock } from '../mocks/control'
import { startMockServer } from '../mocks/server'

const ROUNDS = 60

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/**
 * How long a failed login takes for an unknown email and for a known one with a wrong password,
 * over the real HTTP server, interleaved so that load on the machine hits both alike. A gap
 * between the two tells an attacker which emails have accounts.
 */
export async function run(): Promise<void> {
  const server = await startMockServer({ port: 0 })
  try {
    const timed = async (email: string) => {
      await resetMock() // no 429 from earlier failures; outside the timed part
      const started = performance.now()
      const response = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: 'not-the-password' }),
      })
      await response.arrayBuffer()
      if (response.status !== 401) throw new Error(`bench/loginTiming: got ${response.status}`)
      return performance.now() - started
    }
    await timed('warm-up@etl.local')
    const unknown: number[] = []
    const known: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      unknown.push(await timed(`nobody${round}@etl.local`))
      known.push(await timed('admin@etl.local'))
    }
    const baseline = median(known)
    console.log(
      `\nFailed login over HTTP, median of ${ROUNDS} each, interleaved (baseline: a known email; ` +
        `a ratio far from 1 tells an attacker which emails have accounts)`,
    )
    console.table([
      { email: 'known, wrong password', 'median ms': baseline.toFixed(2), ratio: '1.00x' },
      {
        email: 'unknown',
        'median ms': median(unknown).toFixed(2),
        ratio: `${(median(unknown) / baseline).toFixed(2)}x`,
      },
    ])
  } finally {
    await server.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
