import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import { configureMock, runScenario } from '../../mocks/control'
import { server } from '../../mocks/node'
import { ADMIN, renderApp, VIEWER } from './support/renderApp'

beforeEach(async () => {
  await configureMock({ dag_queue_seconds: 0, dag_run_seconds: 1 })
})

describe('Pipelines page', () => {
  it('lists both DAGs and their recent runs with states', async () => {
    await renderApp('/pipelines', { as: ADMIN })
    const download = await screen.findByRole('article', { name: 'ftp_multi_station_download' })
    expect(within(download).getByText(/Downloads the latest observations/)).toBeInTheDocument()
    expect(screen.getByRole('article', { name: 'process_multistation_data' })).toBeInTheDocument()
    const runs = screen.getByRole('table')
    // 8 seeded runs per DAG, the 7th of each failed.
    expect(within(runs).getAllByText('success')).toHaveLength(14)
    expect(within(runs).getAllByText('failed')).toHaveLength(2)
  })

  it('Refresh runs the download DAG, then the processing DAG, until both succeed', async () => {
    const { user } = await renderApp('/pipelines', { as: ADMIN })
    await user.click(await screen.findByRole('button', { name: 'Refresh' }))
    const steps = screen.getByRole('list', { name: 'Refresh progress' })
    const [download, processing] = within(steps).getAllByRole('listitem')
    expect(within(processing!).getByText('waiting')).toBeInTheDocument()
    await waitFor(() => expect(within(download!).getByText('success')).toBeInTheDocument(), {
      timeout: 8000,
    })
    await waitFor(() => expect(within(processing!).getByText('success')).toBeInTheDocument(), {
      timeout: 8000,
    })
    expect(
      screen.getByText('Both pipelines finished: the station data is up to date.'),
    ).toBeInTheDocument()
    expect(within(download!).getByText(/^manual__/)).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeEnabled()
  }, 20_000)

  it('shows a run one duration: the same in the Refresh panel and under Recent runs', async () => {
    // 30 s on the mock's clock and about none on the page's: only the server's dates agree.
    await configureMock({ dag_queue_seconds: 0, dag_run_seconds: 30 })
    const { user } = await renderApp('/pipelines', { as: ADMIN })
    await user.click(await screen.findByRole('button', { name: 'Refresh' }))
    const [download] = within(screen.getByRole('list', { name: 'Refresh progress' })).getAllByRole(
      'listitem',
    )
    await within(download!).findByText(/^manual__/, {}, { timeout: 5000 })
    await runScenario({ advance_clock_seconds: 30 })
    await waitFor(() => expect(within(download!).getByText('success')).toBeInTheDocument(), {
      timeout: 8000,
    })
    const [runId, shown] = within(download!)
      .getByText(/^manual__/)
      .textContent!.split(' · ')
    expect(shown).toBe('30 s')
    await waitFor(
      () => {
        const row = within(screen.getByRole('table')).getByText(runId!).closest('tr')!
        expect(row.lastElementChild).toHaveTextContent(shown!)
      },
      { timeout: 8000 },
    )
  }, 20_000)

  it('stops before processing when the download fails', async () => {
    server.use(
      http.post('*/api/v2/dags/ftp_multi_station_download/dagRuns', () =>
        HttpResponse.json({
          dag_id: 'ftp_multi_station_download',
          dag_run_id: 'manual__broken',
          state: 'failed',
        }),
      ),
    )
    const { user } = await renderApp('/pipelines', { as: ADMIN })
    await user.click(await screen.findByRole('button', { name: 'Refresh' }))
    expect(
      await screen.findByText(/The download failed, so processing was not started/),
    ).toBeInTheDocument()
    const [, processing] = within(
      screen.getByRole('list', { name: 'Refresh progress' }),
    ).getAllByRole('listitem')
    expect(within(processing!).getByText('skipped')).toBeInTheDocument()
  })

  it('shows the error when a trigger is refused', async () => {
    server.use(
      http.post(
        '*/api/v2/dags/:dag/dagRuns',
        () => HttpResponse.json({ detail: 'Scheduler is down' }, { status: 503 }),
        {
          once: true,
        },
      ),
    )
    const { user } = await renderApp('/pipelines', { as: ADMIN })
    await user.click(await screen.findByRole('button', { name: 'Refresh' }))
    expect(
      await screen.findByText(/Refreshing the pipelines failed: the server had a problem \(503\)/),
    ).toBeInTheDocument()
  })

  it('shows a viewer the Refresh button disabled, with the reason', async () => {
    await renderApp('/pipelines', { as: VIEWER })
    const button = await screen.findByRole('button', { name: 'Refresh' })
    expect(button).toBeDisabled()
    expect(button).toHaveAccessibleDescription(/needs the dags:trigger permission/)
  })
})
