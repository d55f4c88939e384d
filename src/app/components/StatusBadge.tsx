const tones: Record<string, string> = {
  queued: 'muted',
  running: 'accent',
  completed: 'success',
  success: 'success',
  failed: 'danger',
  cancelled: 'warning',
  paused: 'warning',
  active: 'success',
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge--${tones[status] ?? 'muted'}`}>{status}</span>
}
