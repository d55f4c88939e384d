import { PageHead } from '../components/PageHead'
import {
  DOWNLOAD_DAG,
  PROCESSING_DAG,
  isFinished,
  listDagRuns,
  listDags,
  type Dag,
  type DagRun,
} from '../api/dags'
import { EmptyState } from '../components/EmptyState'
import { formatDate } from '../components/formatDate'
import { PipelineRefresh } from '../components/PipelineRefresh'
import { RetryAlert } from '../components/RetryAlert'
import { runDuration } from '../components/runDuration'
import { StatusBadge } from '../components/StatusBadge'
import { usePolling } from '../hooks/usePolling'
import { useServices } from '../hooks/useServices'
import { TableWrap } from '../components/TableWrap'

interface Overview {
  dags: Dag[]
  runs: DagRun[]
}

function tagName(tag: { name: string } | string): string {
  return typeof tag === 'string' ? tag : tag.name
}

export function PipelinesPage() {
  const { api } = useServices()
  const overview = usePolling<Overview>(
    async (signal) => {
      const [dags, download, processing] = await Promise.all([
        listDags(api, signal),
        listDagRuns(api, DOWNLOAD_DAG, 8, signal),
        listDagRuns(api, PROCESSING_DAG, 8, signal),
      ])
      const runs = [...download, ...processing].sort((a, b) =>
        String(b.logical_date ?? b.execution_date ?? '').localeCompare(
          String(a.logical_date ?? a.execution_date ?? ''),
        ),
      )
      return { dags, runs }
    },
    (data) => (data?.runs.some((r) => !isFinished(r)) ? 2000 : 10_000),
    'Loading the pipelines',
  )
  const lastRun = (dagId: string) => overview.data?.runs.find((r) => r.dag_id === dagId)

  return (
    <div className="page">
      <PageHead
        title="Pipelines"
        subtitle="The multi-station ingestion DAGs and their recent runs."
      />
      {overview.error && <RetryAlert message={overview.error.message} onRetry={overview.reload} />}
      <div className="grid grid--dags">
        {(overview.data?.dags ?? []).map((dag) => {
          const last = lastRun(dag.dag_id)
          return (
            <article key={dag.dag_id} className="card dag" aria-label={dag.dag_id}>
              <div className="dag__head">
                <code className="dag__id">{dag.dag_id}</code>
                <StatusBadge status={dag.is_paused ? 'paused' : 'active'} />
              </div>
              <p className="card__text">{dag.description ?? 'No description.'}</p>
              <dl className="facts">
                <div>
                  <dt>Last run</dt>
                  <dd>{last ? <StatusBadge status={last.state} /> : '—'}</dd>
                </div>
                <div>
                  <dt>Started</dt>
                  <dd>{formatDate(last?.start_date ?? last?.logical_date)}</dd>
                </div>
                <div>
                  <dt>Tags</dt>
                  <dd>{(dag.tags ?? []).map(tagName).join(', ') || '—'}</dd>
                </div>
              </dl>
            </article>
          )
        })}
      </div>
      <PipelineRefresh onProgress={overview.reload} />
      <section className="card" aria-labelledby="runs-title">
        <h2 className="card__title" id="runs-title">
          Recent runs
        </h2>
        {overview.loading && !overview.data ? (
          <p className="loading">Loading runs…</p>
        ) : overview.data && overview.data.runs.length > 0 ? (
          <TableWrap label="Recent runs table">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">DAG</th>
                  <th scope="col">Run</th>
                  <th scope="col">State</th>
                  <th scope="col">Logical date</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {overview.data.runs.map((run) => (
                  <tr key={`${run.dag_id}/${run.dag_run_id}`}>
                    <td>
                      <code>{run.dag_id}</code>
                    </td>
                    <td className="cell-sub cell-id" title={run.dag_run_id}>
                      {run.dag_run_id}
                    </td>
                    <td>
                      <StatusBadge status={run.state} />
                    </td>
                    <td className="cell-nowrap">
                      {formatDate(run.logical_date ?? run.execution_date)}
                    </td>
                    <td className="cell-nowrap">{runDuration(run) ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          !overview.error && (
            <EmptyState title="No runs yet">Press Refresh to start one.</EmptyState>
          )
        )}
      </section>
    </div>
  )
}
