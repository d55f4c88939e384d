import type { AuthEvent, AuthEventInput, AuthEventListener } from './types'

/** The session's typed event stream: `emit` stamps each event with `at` and tells every listener. */
export function createEventStream(now: () => number) {
  const listeners = new Set<AuthEventListener>()
  return {
    emit(event: AuthEventInput) {
      const stamped = { ...event, at: now() } as AuthEvent
      listeners.forEach((listener) => {
        try {
          listener(stamped)
        } catch {
          // one broken listener must not stop the others or the engine
        }
      })
    },
    subscribe(listener: AuthEventListener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    clear: () => listeners.clear(),
  }
}

export type EventStream = ReturnType<typeof createEventStream>
