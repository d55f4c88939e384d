import { spawn } from 'node:child_process'

/**
 * Starts `count` busy-loop processes beside the browser: a loaded machine shows races between
 * tabs that an idle one hides. Returns their stop; they are killed when the test process exits.
 */
export function startBusyLoops(count = 2): () => void {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  )
  const stop = () => {
    for (const child of children) child.kill('SIGKILL')
  }
  process.once('exit', stop)
  return () => {
    process.off('exit', stop)
    stop()
  }
}
