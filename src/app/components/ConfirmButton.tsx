import { useEffect, useRef, useState, type ReactNode } from 'react'

export interface ConfirmButtonProps {
  /** The button's text; `name` is its accessible name when the text alone is ambiguous. */
  children: ReactNode
  name?: string
  /** What will happen, asked before it does. */
  question: ReactNode
  confirmLabel: string
  onConfirm: () => void
  disabled?: boolean
  title?: string
  className?: string
}

/** A button that asks first, in place: the question, then the action or "Keep". */
export function ConfirmButton({
  children,
  name,
  question,
  confirmLabel,
  onConfirm,
  disabled,
  title,
  className = 'button button--small button--ghost',
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false)
  const keep = useRef<HTMLButtonElement>(null)
  const opener = useRef<HTMLButtonElement>(null)
  const wasAsking = useRef(false)
  useEffect(() => {
    if (asking) keep.current?.focus()
    else if (wasAsking.current) opener.current?.focus()
    wasAsking.current = asking
  }, [asking])

  if (!asking) {
    return (
      <button
        ref={opener}
        type="button"
        className={className}
        disabled={disabled}
        title={title}
        aria-label={name}
        onClick={() => setAsking(true)}
      >
        {children}
      </button>
    )
  }
  return (
    <span className="confirm" role="group" aria-label={name}>
      <span className="confirm__question">{question}</span>
      <button
        type="button"
        className="button button--small button--danger"
        onClick={() => {
          wasAsking.current = false
          setAsking(false)
          onConfirm()
        }}
      >
        {confirmLabel}
      </button>
      <button
        ref={keep}
        type="button"
        className="button button--small"
        onClick={() => setAsking(false)}
      >
        Keep
      </button>
    </span>
  )
}
