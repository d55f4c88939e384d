import { isRouteErrorResponse, Link, useRouteError } from 'react-router'

/** Shown when a page throws: says what happened instead of a blank screen. */
export function RouteError() {
  const error = useRouteError()
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error'
  return (
    <div className="auth">
      <main className="auth__card" role="alert">
        <h1 className="auth__title">Something went wrong</h1>
        <p className="auth__subtitle">{message}</p>
        <Link to="/pipelines" reloadDocument className="button button--primary">
          Reload the app
        </Link>
      </main>
    </div>
  )
}
