import type { ReactNode } from 'react'
import { usePageTitle } from '../hooks/usePageTitle'

/** A page's title (its `h1` and the tab's title), subtitle and actions. */
export function PageHead({
  title,
  subtitle,
  children,
}: {
  title: string
  subtitle: ReactNode
  children?: ReactNode
}) {
  const heading = usePageTitle(title)
  return (
    <div className="page__head">
      <div>
        <h1 className="page__title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p className="page__subtitle">{subtitle}</p>
      </div>
      {children}
    </div>
  )
}
