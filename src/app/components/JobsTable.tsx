import { useState } from 'react'
import { cancelJob, isActive, type Job } from '../api/jobs'
import { readApiError } from '../api/readApiError'
import { usePermission } from '../hooks/usePermission'
import { useServices } from '../hooks/useServices'
import { Alert } from './Alert'
import { formatTime } from './formatTime'
import { ProgressBar } from './ProgressBar'
import { StatusBadge } from './StatusBadge'

const tones = { completed: 'success', failed: 'danger', cancelled: 'warning' } as const

export function JobsTable({ jobs, onChanged }: { jobs: Job[]; onChanged: () => void }) {
  const { api } = useServices()
  const { allowed } = usePermission('jobs:cancel')
  const [error, setError] = useState<string | null>(null)
  const [cancelling, setCancelling] = useState<string | null>(null)

  const cancel = async (job: Job) => {
    setCancelling(job.id)
    setError(null)
    try {
      await cancelJob(api, job.id)
      onChanged()
    } catch (caught) {
      setError(readApiError(caught, `Cancelling “${job.name}”`).message)
    } finally {
      setCancelling(null)
    }
  }

  return (
    <>
      {error && <Alert>{error}</Alert>}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Status</th>
              <th scope="col" className="table__progress">
                Progress
              </th>
              <th scope="col">Input</th>
              <th scope="col">Submitted</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id} data-job-id={job.id}>
                <td>
                  <div className="cell-title">{job.name}</div>
                  <div className="cell-sub">{job.id}</div>
                </td>
                <td>
                  <StatusBadge status={job.status} />
                </td>
                <td className="table__progress">
                  <div className="progress-cell">
                    <ProgressBar
                      value={job.progress ?? 0}
                      label={`Progress of ${job.name}`}
                      tone={tones[job.status as keyof typeof tones] ?? 'accent'}
                    />
                    <span className="progress-cell__value">{Math.round(job.progress ?? 0)}%</span>
                  </div>
                </td>
                <td>
                  <div className="cell-file">{job.file_name ?? job.input_filename ?? '—'}</div>
                  <div className="cell-sub cell-file">
                    {[job.input_format, job.build, job.reference_panel_id]
                      .filter(Boolean)
                      .join(' · ')}
                  </div>
                </td>
                <td className="cell-nowrap">{formatTime(job.created_at)}</td>
                <td className="cell-actions">
                  {isActive(job) && (
                    <button
                      type="button"
                      className="button button--small button--ghost"
                      disabled={!allowed || cancelling === job.id}
                      title={
                        allowed ? undefined : 'Your role cannot cancel jobs (needs jobs:cancel).'
                      }
                      aria-label={`Cancel ${job.name}`}
                      onClick={() => void cancel(job)}
                    >
                      {cancelling === job.id ? 'Cancelling…' : 'Cancel'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
