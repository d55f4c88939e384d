import { Navigate, useLocation } from 'react-router'

export function RedirectToSignIn() {
  const location = useLocation()
  return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />
}
