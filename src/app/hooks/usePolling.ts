import { useCallback, useEffect, useRef, useState } from 'react'
import { useAuthStore } from 'token-refresh-kit/react'
import { readApiError, type ApiErrorInfo } from '../api/readApiError'

export interface Polled<T> {
  data: T | undefined
  error: ApiErrorInfo | null
  loading: boolean
  reload: () => void
}

interface Result<T> {
  /** Whose data it is: another user's is never shown. */
  sub: string | null
  data: T | undefined
  error: ApiErrorInfo | null
}

/**
 * Loads now and again every `intervalMs` (which may depend on the data) while the page is
 * visible and the session is live. Paused while the session waits for a re-sign-in, and
 * started afresh when another user signs in.
 */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number | ((data: T | undefined) => number),
  action: string,
): Polled<T> {
  const live = useAuthStore((s) => s.status === 'authenticated' || s.status === 'refreshing')
  const sub = useAuthStore((s) => (s.user?.sub as string | undefined) ?? null)
  const [result, setResult] = useState<Result<T> | null>(null)
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden')
  const [generation, setGeneration] = useState(0)
  const latest = useRef({ load, intervalMs, action })
  useEffect(() => {
    latest.current = { load, intervalMs, action }
  })

  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden')
    document.addEventListener('visibilitychange', onChange)
    return () => document.removeEventListener('visibilitychange', onChange)
  }, [])

  useEffect(() => {
    if (!live || !visible) return
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    let data: T | undefined
    const run = async () => {
      try {
        data = await latest.current.load(controller.signal)
        if (controller.signal.aborted) return
        setResult({ sub, data, error: null })
      } catch (caught) {
        if (controller.signal.aborted) return
        const error = readApiError(caught, latest.current.action)
        // A request dropped because another user signed in is not this page's error.
        if (!error.userChanged)
          setResult((r) => ({ sub, data: r?.sub === sub ? r.data : undefined, error }))
      }
      if (controller.signal.aborted) return
      const every = latest.current.intervalMs
      timer = setTimeout(run, typeof every === 'function' ? every(data) : every)
    }
    void run()
    return () => {
      controller.abort()
      clearTimeout(timer)
    }
  }, [live, visible, sub, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  const mine = result?.sub === sub ? result : null
  return { data: mine?.data, error: mine?.error ?? null, loading: mine === null, reload }
}
