import { useCallback, useEffect, useRef } from 'react'

/**
 * Remembers the last element focused inside `container`, so that a dialog opened over it can
 * give the focus back when it closes. Read at opening time, `document.activeElement` is no
 * help: the page turns inert first, and a button that disabled itself has let go of the focus.
 */
export function useFocusMemory() {
  const container = useRef<HTMLDivElement>(null)
  const last = useRef<HTMLElement | null>(null)
  useEffect(() => {
    const element = container.current
    if (!element) return
    const onFocus = (event: FocusEvent) => {
      if (event.target instanceof HTMLElement) last.current = event.target
    }
    element.addEventListener('focusin', onFocus)
    return () => element.removeEventListener('focusin', onFocus)
  }, [])
  const restore = useCallback(() => {
    const target = last.current
    const usable = target?.isConnected && !target.matches(':disabled') && !target.closest('[inert]')
    const fallback = container.current?.querySelector<HTMLElement>('main h1')
    ;(usable ? target : fallback)?.focus()
  }, [])
  return { container, restore }
}
