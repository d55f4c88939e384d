import { PageHead } from '../components/PageHead'
import { JOB_STATUSES, isActive, type Job, type JobStatus } from '../api/jobs'
import { Alert } from '../components/Alert'
import { EmptyState } from '../components/EmptyState'
import { formatTime } from '../components/formatTime'
import { ProgressBar } from '../components/ProgressBar'
import { StatusBadge } from '../components/StatusBadge'
import { useJobs } from '../hooks/useJobs'

const titles: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

export function QueuePage() {
  const jobs = useJobs('Loading the queue')
  const groups = new Map<JobStatus, Job[]>(JOB_STATUSES.map((s) => [s, []]))
  for (const job of jobs.data?.items ?? []) groups.get(job.status)?.push(job)

  return (
    <div className="page">
      <PageHead title="Queue" subtitle="Your jobs by state, updated live." />
      {jobs.error && <Alert>{jobs.error.message}</Alert>}
      {jobs.loading && !jobs.data ? (
        <p className="loading">Loading the queue…</p>
      ) : jobs.data && jobs.data.items.length === 0 ? (
        <EmptyState title="The queue is empty">
          Jobs you submit on the Jobs page show up here.
        </EmptyState>
      ) : (
        <div className="board">
          {JOB_STATUSES.map((status) => {
            const list = groups.get(status) ?? []
            return (
              <section key={status} className="board__column" aria-labelledby={`queue-${status}`}>
                <h2 className="board__title" id={`queue-${status}`}>
                  <StatusBadge status={status} /> {titles[status]}
                  <span className="board__count">{list.length}</span>
                </h2>
                {list.length === 0 ? (
                  <p className="board__empty">None</p>
                ) : (
                  <ul className="board__list">
                    {list.map((job) => (
                      <li key={job.id} className="board__item">
                        <div className="cell-title">{job.name}</div>
                        <div className="cell-sub">
                          {job.input_format} · {job.build} · {formatTime(job.created_at)}
                        </div>
                        {isActive(job) && (
                          <ProgressBar
                            value={job.progress ?? 0}
                            label={`Progress of ${job.name}`}
                          />
                        )}
                        {job.error && <div className="board__error">{job.error}</div>}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            )
          })}
        </div>
      )}
    </div>
  )
}
