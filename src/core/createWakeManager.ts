/** Why a tab woke up: it became visible, gained focus or came back online. */
export type WakeReason = 'visible' | 'focus' | 'online'

export interface WakeManager<Handle> {
  /** Replaces how the host's events are wired; `setup` returns its cleanup. */
  setEventListener(setup: (handle: Handle) => (() => void) | void): void
  subscribe(listener: (reason: WakeReason) => void): () => void
}

/** The shared plumbing of `focusManager` and `onlineManager`, in TanStack Query's manner. */
export function createWakeManager<Handle>(
  handle: (emit: (reason: WakeReason) => void) => Handle,
  defaultSetup: (handle: Handle) => (() => void) | void,
): WakeManager<Handle> & { handle: Handle } {
  const listeners = new Set<(reason: WakeReason) => void>()
  let setup = defaultSetup
  let cleanup: (() => void) | void
  const emit = (reason: WakeReason) => listeners.forEach((listener) => listener(reason))
  const manager = {
    handle: handle(emit),
    setEventListener(next: (handle: Handle) => (() => void) | void) {
      cleanup?.()
      setup = next
      cleanup = listeners.size ? next(manager.handle) : undefined
    },
    subscribe(listener: (reason: WakeReason) => void) {
      listeners.add(listener)
      if (listeners.size === 1) cleanup = setup(manager.handle)
      return () => {
        listeners.delete(listener)
        if (!listeners.size) cleanup = cleanup?.()
      }
    },
  }
  return manager
}
