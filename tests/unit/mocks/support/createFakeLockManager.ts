/**
 * Exclusive Web Locks for tabs simulated in one Node process (Node 20 has no `navigator.locks`):
 * requests for a name are granted one at a time, in order; a `signal` abandons a wait.
 */
export function createFakeLockManager(): LockManager & { held: () => string[] } {
  const queues = new Map<string, Array<() => void>>()
  const held = new Set<string>()

  function grantNext(name: string): void {
    const next = queues.get(name)?.shift()
    if (next) next()
    else held.delete(name)
  }

  async function request<T>(
    name: string,
    optionsOrCallback: LockOptions | ((lock: Lock | null) => T),
    maybeCallback?: (lock: Lock | null) => T,
  ): Promise<Awaited<T>> {
    const options = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback
    const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback!
    const { signal } = options
    signal?.throwIfAborted()
    if (held.has(name)) {
      await new Promise<void>((resolve, reject) => {
        const queue = queues.get(name) ?? []
        queues.set(name, queue)
        const grant = () => {
          signal?.removeEventListener('abort', abandon)
          resolve()
        }
        const abandon = () => {
          queue.splice(queue.indexOf(grant), 1)
          reject(signal!.reason)
        }
        queue.push(grant)
        signal?.addEventListener('abort', abandon, { once: true })
      })
    } else {
      held.add(name)
    }
    try {
      return await callback({ name, mode: 'exclusive' } as Lock)
    } finally {
      grantNext(name)
    }
  }

  return {
    request: request as LockManager['request'],
    query: async () => ({ held: [...held].map((name) => ({ name, mode: 'exclusive' })) }),
    held: () => [...held],
  }
}
