export interface ProgressBarProps {
  /** 0-100; `null` for an indeterminate bar. */
  value: number | null
  label: string
  tone?: 'accent' | 'success' | 'danger' | 'warning' | 'muted'
  size?: 'small' | 'large'
}

export function ProgressBar({ value, label, tone = 'accent', size = 'small' }: ProgressBarProps) {
  const clamped = value === null ? null : Math.max(0, Math.min(100, Math.round(value)))
  return (
    <div
      className={`progress progress--${tone} progress--${size}${clamped === null ? ' progress--indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped ?? undefined}
    >
      <div
        className="progress__fill"
        style={clamped === null ? undefined : { width: `${clamped}%` }}
      />
    </div>
  )
}
