import type { ReactNode } from 'react'

/**
 * A table's frame, which scrolls sideways when the table is wider than its card (a phone).
 * Focusable and named, so that a keyboard can scroll it too.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  )
}
