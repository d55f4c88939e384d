import type { ReactNode } from 'react'
import { formatTimeLeft } from 'token-refresh-kit'
import { useTimeLeft } from './useTimeLeft'

export interface SessionCountdownProps {
  /** Renders the seconds left; default `m:ss`, or nothing without a token. */
  children?: (secondsLeft: number | null) => ReactNode
}

/** The access token's time left, re-rendered once a second; the only part of the tree that ticks. */
export function SessionCountdown({ children }: SessionCountdownProps) {
  const secondsLeft = useTimeLeft()
  if (children) return <>{children(secondsLeft)}</>
  return <>{secondsLeft === null ? '' : formatTimeLeft(secondsLeft)}</>
}
