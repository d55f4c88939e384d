import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnMockServer, type SpawnedServer } from './support/spawnMockServer'

const run = promisify(execFile)

/** The `sh` blocks of docs/mocks.md that talk to the HTTP server: the ones that use `$API`. */
async function curlBlocks(): Promise<string[]> {
  const page = await readFile(new URL('../../docs/mocks.md', import.meta.url), 'utf8')
  return [...page.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .filter((block) => block.includes('$API'))
}

describe("docs/mocks.md's curl blocks, run as they are against npm run mock:server", () => {
  let server: SpawnedServer
  beforeAll(async () => {
    server = await spawnMockServer()
  }, 30_000)
  afterAll(async () => {
    await server.stop()
  })

  it('sign in, submit a job with the sample file, trigger a run and refresh, then drive the control API', async () => {
    const blocks = await curlBlocks()
    expect(blocks.length).toBeGreaterThanOrEqual(2)
    // One shell, as a reader pastes them one after the other; only the port differs.
    const script = blocks.join('\n').replaceAll('http://127.0.0.1:8787', server.url)
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { timeout: 30_000 })
    expect(stdout).toContain('"email":"admin@etl.local"')
    expect(stdout).toMatch(/"id":"job_[^"]+","user_id":"usr_admin","name":"chr20"/)
    expect(stdout).toContain('"dag_id":"process_multistation_data"')
    expect(stdout).toContain('"refresh_token"')
    expect(stdout).not.toMatch(/"detail":/) // no call was refused
    const state = await (await fetch(`${server.url}/__mock/state`)).json()
    // The last line of the control block resets the mocks.
    expect(state.counters).toMatchObject({ logins: 0, refreshes: 0 })
  })
})
