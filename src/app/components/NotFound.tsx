import { Link } from 'react-router'
import { EmptyState } from './EmptyState'

export function NotFound() {
  return (
    <div className="page">
      <EmptyState title="This page does not exist">
        <Link to="/pipelines">Go to the pipelines</Link>
      </EmptyState>
    </div>
  )
}
