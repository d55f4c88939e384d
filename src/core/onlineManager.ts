import { createWakeManager } from './createWakeManager'

export interface OnlineHandle {
  /** Reports connectivity; offline to online wakes the sessions. */
  setOnline(online: boolean): void
  isOnline(): boolean
}

const manager = createWakeManager<OnlineHandle>(
  (emit) => {
    let online = true
    return {
      setOnline(next) {
        const woke = next && !online
        online = next
        if (woke) emit('online')
      },
      isOnline: () => online,
    }
  },
  (handle) => {
    if (typeof window === 'undefined') return
    const onOnline = () => handle.setOnline(true)
    const onOffline = () => handle.setOnline(false)
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
    return () => {
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOffline)
    }
  },
)

/** Connectivity, behind a swappable `setEventListener` so tests and extensions drive it. */
export const onlineManager = {
  setEventListener: manager.setEventListener,
  subscribe: manager.subscribe,
  ...manager.handle,
}
