import { useEffect, useRef } from 'react'

const APP_NAME = 'ETL Console'

/**
 * Names the tab after the page and returns a ref for the page's `h1`, which takes the focus
 * when the page opens after a click in the header or when the focus was lost (the control
 * that had it went away, as after signing in): a screen reader then starts at the new page.
 */
export function usePageTitle(title: string) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} · ${APP_NAME}`
    const active = document.activeElement
    const lost = !active || active === document.body || !active.isConnected
    if (lost || active.closest('header, [data-route-focus]')) heading.current?.focus()
  }, [title])
  return heading
}
