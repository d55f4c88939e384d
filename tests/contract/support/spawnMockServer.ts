import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

export interface SpawnedServer {
  url: string
  child: ChildProcess
  /** SIGTERM, then resolves with the exit code. */
  stop: () => Promise<number | null>
}

/** Runs the real `npm run mock:server` command (tsx mocks/server.ts) on a free port. */
export function spawnMockServer(): Promise<SpawnedServer> {
  const root = resolve(import.meta.dirname, '../../..')
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['mocks/server.ts'], {
    cwd: root,
    env: { ...process.env, MOCK_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  return new Promise((done, fail) => {
    let output = ''
    const timer = setTimeout(() => fail(new Error(`mock server did not start:\n${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Mock API listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        child.stdout?.off('data', onData)
        done({
          url: match[1]!,
          child,
          stop: () => {
            if (child.exitCode === null) child.kill('SIGTERM')
            return exited
          },
        })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => {
      clearTimeout(timer)
      fail(new Error(`mock server exited with ${code}:\n${output}`))
    })
  })
}
