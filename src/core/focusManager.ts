import { createWakeManager } from './createWakeManager'

export interface FocusHandle {
  /** Reports the page's visibility; hidden to visible wakes the sessions. */
  setVisible(visible: boolean): void
  isVisible(): boolean
  /** Reports that the window gained focus. */
  onFocus(): void
}

const manager = createWakeManager<FocusHandle>(
  (emit) => {
    let visible = true
    return {
      setVisible(next) {
        const woke = next && !visible
        visible = next
        if (woke) emit('visible')
      },
      isVisible: () => visible,
      onFocus: () => emit('focus'),
    }
  },
  (handle) => {
    if (typeof window === 'undefined' || typeof document === 'undefined') return
    const onVisibility = () => handle.setVisible(document.visibilityState !== 'hidden')
    const onFocus = () => handle.onFocus()
    document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('focus', onFocus)
    return () => {
      document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('focus', onFocus)
    }
  },
)

/** Visibility and focus, behind a swappable `setEventListener` so tests and extensions drive them. */
export const focusManager = {
  setEventListener: manager.setEventListener,
  subscribe: manager.subscribe,
  ...manager.handle,
}
