import type { ReactNode } from 'react'

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
  return (
    <div className="auth">
      <div className="auth__brand">
        <span className="brand__mark" aria-hidden="true">
          ◆
        </span>
        ETL Console
      </div>
      <main className="auth__card">
        <h1 className="auth__title">{title}</h1>
        <p className="auth__subtitle">{subtitle}</p>
        {children}
      </main>
    </div>
  )
}
