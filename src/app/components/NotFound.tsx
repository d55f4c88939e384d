import { Link } from 'react-router'
import { PageHead } from './PageHead'

export function NotFound() {
  return (
    <div className="page">
      <PageHead title="Page not found" subtitle="Nothing lives at this address." />
      <p>
        <Link to="/pipelines">Go to the pipelines</Link>
      </p>
    </div>
  )
}
