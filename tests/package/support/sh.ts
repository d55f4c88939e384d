import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Runs `command` in `cwd`, with `env` added to the environment; on failure the error carries its
 * output, so the test says why.
 */
export async function sh(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  // Vitest sets NODE_ENV=test: npm would read it, and Vite would make a dev build.
  const { NODE_ENV: _, ...inherited } = process.env
  try {
    const { stdout } = await run(command, args, {
      cwd,
      maxBuffer: 32 * 1024 * 1024,
      env: { ...inherited, ...env },
    })
    return stdout
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string }
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`, {
      cause: error,
    })
  }
}
