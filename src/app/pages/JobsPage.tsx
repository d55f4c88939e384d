import { PageHead } from '../components/PageHead'
import { EmptyState } from '../components/EmptyState'
import { JobForm } from '../components/JobForm'
import { JobsTable } from '../components/JobsTable'
import { RetryAlert } from '../components/RetryAlert'
import { useJobs } from '../hooks/useJobs'

export function JobsPage() {
  const jobs = useJobs('Loading your jobs')
  return (
    <div className="page">
      <PageHead title="Jobs" subtitle="Submit imputation jobs and follow them to completion." />
      <div className="grid grid--jobs">
        <section className="card" aria-labelledby="new-job-title">
          <h2 className="card__title" id="new-job-title">
            New job
          </h2>
          <JobForm onSubmitted={jobs.reload} />
        </section>
        <section className="card" aria-labelledby="your-jobs-title">
          <div className="card__head">
            <h2 className="card__title" id="your-jobs-title">
              Your jobs
            </h2>
            {jobs.data && <span className="card__meta">{jobs.data.total} in total</span>}
          </div>
          {jobs.error && <RetryAlert message={jobs.error.message} onRetry={jobs.reload} />}
          {jobs.loading && !jobs.data ? (
            <p className="loading">Loading jobs…</p>
          ) : jobs.data && jobs.data.items.length > 0 ? (
            <JobsTable jobs={jobs.data.items} onChanged={jobs.reload} />
          ) : (
            !jobs.error && (
              <EmptyState title="No jobs yet">
                Submit one with the form; it appears here with its progress.
              </EmptyState>
            )
          )}
        </section>
      </div>
    </div>
  )
}
