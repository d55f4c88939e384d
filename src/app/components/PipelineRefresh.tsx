import { useEffect, useId, useRef, useState } from 'react'
import {
  DOWNLOAD_DAG,
  PROCESSING_DAG,
  isFinished,
  listDagRuns,
  triggerDag,
  type DagRun,
} from '../api/dags'
import { readApiError } from '../api/readApiError'
import { usePermission } from '../hooks/usePermission'
import { useServices } from '../hooks/useServices'
import { Alert } from './Alert'
import { PermissionNote } from './PermissionNote'
import { ProgressBar } from './ProgressBar'
import { runDuration } from './runDuration'
import { StatusBadge } from './StatusBadge'

type StepState = 'waiting' | 'triggering' | 'queued' | 'running' | 'success' | 'failed' | 'skipped'

interface Step {
  dagId: string
  label: string
  state: StepState
  run: DagRun | null
  startedAt: number | null
  endedAt: number | null
}

const POLL_MS = 1000

function initialSteps(): Step[] {
  return [
    {
      dagId: DOWNLOAD_DAG,
      label: 'Download station data',
      state: 'waiting',
      run: null,
      startedAt: null,
      endedAt: null,
    },
    {
      dagId: PROCESSING_DAG,
      label: 'Process station data',
      state: 'waiting',
      run: null,
      startedAt: null,
      endedAt: null,
    },
  ]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The Refresh button: runs the download DAG, then the processing DAG, and follows both live. */
export function PipelineRefresh({ onProgress }: { onProgress: () => void }) {
  const { api } = useServices()
  const { allowed, known, role } = usePermission('dags:trigger')
  const noteId = useId()
  const [steps, setSteps] = useState<Step[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const alive = useRef(true)

  useEffect(() => {
    alive.current = true
    return () => {
      alive.current = false
    }
  }, [])

  useEffect(() => {
    if (!busy) return
    const id = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(id)
  }, [busy])

  const update = (index: number, patch: Partial<Step>) =>
    setSteps(
      (current) =>
        current && current.map((step, i) => (i === index ? { ...step, ...patch } : step)),
    )

  const follow = async (index: number, dagId: string): Promise<DagRun> => {
    update(index, { state: 'triggering', startedAt: Date.now() })
    let run = await triggerDag(api, dagId)
    update(index, { state: run.state, run })
    onProgress()
    while (alive.current && !isFinished(run)) {
      await sleep(POLL_MS)
      const runs = await listDagRuns(api, dagId, 25)
      const found = runs.find((r) => r.dag_run_id === run.dag_run_id)
      if (!found) throw new Error(`the run ${run.dag_run_id} disappeared from ${dagId}`)
      if (found.state !== run.state) onProgress()
      run = found
      update(index, { state: run.state, run })
    }
    update(index, { endedAt: Date.now() })
    return run
  }

  const start = async () => {
    setBusy(true)
    setError(null)
    setSteps(initialSteps())
    setNow(Date.now())
    try {
      const download = await follow(0, DOWNLOAD_DAG)
      if (!alive.current) return
      if (download.state === 'failed') {
        update(1, { state: 'skipped' })
        setError(
          'The download failed, so processing was not started. Check the run’s logs, then refresh again.',
        )
        return
      }
      await follow(1, PROCESSING_DAG)
    } catch (caught) {
      if (alive.current) setError(readApiError(caught, 'Refreshing the pipelines').message)
    } finally {
      if (alive.current) setBusy(false)
    }
  }

  const done = steps && !busy && steps.every((s) => s.state === 'success')

  return (
    <section className="card" aria-labelledby="refresh-title">
      <div className="card__head">
        <div>
          <h2 className="card__title" id="refresh-title">
            Refresh station data
          </h2>
          <p className="card__text">
            Downloads the latest files from every station, then processes them.
          </p>
        </div>
        <button
          type="button"
          className="button button--primary"
          onClick={() => void start()}
          disabled={(known && !allowed) || busy}
          aria-describedby={known && !allowed ? noteId : undefined}
        >
          {busy ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {known && !allowed && (
        <PermissionNote
          id={noteId}
          role={role}
          action="trigger pipelines"
          permission="dags:trigger"
        />
      )}
      {steps && (
        <ol className="steps" aria-label="Refresh progress">
          {steps.map((step, index) => {
            const active =
              step.state === 'triggering' || step.state === 'queued' || step.state === 'running'
            const elapsed = step.run ? runDuration(step.run, now) : null
            return (
              <li key={step.dagId} className={`step step--${step.state}`} data-dag-id={step.dagId}>
                <span className="step__number" aria-hidden="true">
                  {index + 1}
                </span>
                <div className="step__body">
                  <div className="step__head">
                    <span className="cell-title">{step.label}</span>
                    <code className="cell-sub">{step.dagId}</code>
                    <StatusBadge status={step.state} />
                  </div>
                  <ProgressBar
                    value={
                      active ? null : step.state === 'waiting' || step.state === 'skipped' ? 0 : 100
                    }
                    label={`${step.label}: ${step.state}`}
                    tone={
                      step.state === 'failed'
                        ? 'danger'
                        : step.state === 'success'
                          ? 'success'
                          : 'accent'
                    }
                  />
                  <span className="cell-sub">
                    {step.run ? `${step.run.dag_run_id} · ` : ''}
                    {elapsed ??
                      (step.state === 'skipped'
                        ? 'not started'
                        : step.startedAt
                          ? 'not started yet'
                          : 'waits for step 1')}
                  </span>
                </div>
              </li>
            )
          })}
        </ol>
      )}
      {error && <Alert>{error}</Alert>}
      {done && (
        <Alert tone="success">Both pipelines finished: the station data is up to date.</Alert>
      )}
    </section>
  )
}
