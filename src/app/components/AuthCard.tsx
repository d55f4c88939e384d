import type { ReactNode } from 'react'
import { usePageTitle } from '../hooks/usePageTitle'
import { BrandMark } from './BrandMark'

/** The frame of the sign-in and register pages. */
export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string
  subtitle: string
  children: ReactNode
}) {
  const heading = usePageTitle(title)
  return (
    <div className="auth">
      <header className="auth__brand">
        <BrandMark />
        ETL Console
      </header>
      <main className="auth__card">
        <h1 className="auth__title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p className="auth__subtitle">{subtitle}</p>
        {children}
      </main>
    </div>
  )
}
