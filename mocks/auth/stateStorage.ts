/**
 * Where an instance's state lives: memory by default; the repo's mocks keep theirs in IndexedDB
 * in the browser. `load` and `save` are synchronous so that handlers can read and mutate the
 * state between their own awaits; `transaction` is what makes a request's reads and writes one
 * unit where several copies of the handlers (browser tabs) share the state.
 */
export interface StateStorage<S> {
  load(): S | null
  save(state: S): void
  /** Runs `work` with the state to itself and keeps what it saved, even if `work` throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>
}

/** Keeps the object itself: no serialisation, so the HTTP server stays fast. */
export function createMemoryStateStorage<S>(): StateStorage<S> {
  let current: S | null = null
  return {
    load: () => current,
    save: (state) => {
      current = state
    },
    // One copy of the handlers over one object: a write is never lost, so nothing to lock.
    transaction: (work) => work(),
  }
}

/** Another tab kept the mock database to itself for longer than the wait allows. */
export class MockStorageBusyError extends Error {
  override name = 'MockStorageBusyError' as const
  constructor(waitedMs: number) {
    super(
      `[token-refresh-kit mocks] the mock database stayed locked by another tab for ${waitedMs} ms: ` +
        'a tab paused in the debugger or frozen holds it; resume or close that tab',
    )
  }
}
