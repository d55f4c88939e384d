import { useState } from 'react'
import { jobOptions } from '../api/jobOptions'
import { cancelJob, isActive, type Job } from '../api/jobs'
import { optionLabel } from '../api/optionLabel'
import { readApiError } from '../api/readApiError'
import { usePermission } from '../hooks/usePermission'
import { useServices } from '../hooks/useServices'
import { Alert } from './Alert'
import { ConfirmButton } from './ConfirmButton'
import { formatTime } from './formatTime'
import { ProgressBar } from './ProgressBar'
import { StatusBadge } from './StatusBadge'
import { TableWrap } from './TableWrap'

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
      <TableWrap label="Your jobs table">
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
                <td className="cell-name">
                  <div className="cell-title" title={job.name}>
                    {job.name}
                  </div>
                  <div className="cell-sub cell-clip" title={job.id}>
                    {job.id}
                  </div>
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
                  <JobInputCell job={job} />
                </td>
                <td className="cell-nowrap">{formatTime(job.created_at)}</td>
                <td className="cell-actions">
                  {isActive(job) && (
                    <ConfirmButton
                      name={`Cancel ${job.name}`}
                      question="Cancel this job?"
                      confirmLabel="Yes, cancel"
                      disabled={!allowed || cancelling === job.id}
                      title={
                        allowed ? undefined : 'Your role cannot cancel jobs (needs jobs:cancel).'
                      }
                      onConfirm={() => void cancel(job)}
                    >
                      {cancelling === job.id ? 'Cancelling…' : 'Cancel'}
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  )
}

function JobInputCell({ job }: { job: Job }) {
  const file = job.file_name ?? job.input_filename ?? '—'
  const what = [
    optionLabel(jobOptions.services, job.service_id),
    optionLabel(jobOptions.referencePanels, job.reference_panel_id),
  ]
    .filter(Boolean)
    .join(' · ')
  const format = [optionLabel(jobOptions.inputFormats, job.input_format), job.build]
    .filter(Boolean)
    .join(' · ')
  return (
    <>
      <div className="cell-file" title={file}>
        {file}
      </div>
      {what && <div className="cell-sub">{what}</div>}
      {format && <div className="cell-sub">{format}</div>}
    </>
  )
}
