export type TimerHandle = unknown

/** Where the kit's timers come from. */
export interface TimerProvider {
  setTimeout(callback: () => void, delayMs: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

// `globalThis.setTimeout` is looked up on every call rather than captured at import, so fake
// timers and spies installed after this module loads still see every timer the kit starts.
const globalProvider: TimerProvider = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
}

let provider = globalProvider

/** Every timer of the kit goes through here; `setTimeoutProvider` swaps the source (tests, workers). */
export const timeoutManager = {
  setTimeoutProvider(next: TimerProvider = globalProvider): void {
    provider = next
  },
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return provider.setTimeout(callback, delayMs)
  },
  clearTimeout(handle: TimerHandle): void {
    if (handle !== undefined && handle !== null) provider.clearTimeout(handle)
  },
}
