import type { ReactNode } from 'react'

export interface AlertProps {
  tone?: 'danger' | 'success' | 'info' | 'warning'
  children: ReactNode
  action?: ReactNode
}

/** A message in the flow of the page; errors are announced to screen readers. */
export function Alert({ tone = 'danger', children, action }: AlertProps) {
  return (
    <div className={`alert alert--${tone}`} role={tone === 'danger' ? 'alert' : 'status'}>
      <span className="alert__text">{children}</span>
      {action}
    </div>
  )
}
