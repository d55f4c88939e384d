import { Alert } from './Alert'

/** A failed load's message, with a button that loads again. */
export function RetryAlert({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <Alert
      action={
        <button type="button" className="button button--small" onClick={onRetry}>
          Try again
        </button>
      }
    >
      {message}
    </Alert>
  )
}
