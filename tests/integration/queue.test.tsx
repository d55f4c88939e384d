import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { configureMock } from '../../mocks/control'
import { ADMIN, renderApp } from './support/renderApp'

type Api = Awaited<ReturnType<typeof renderApp>>['services']['api']

async function submit(api: Api, name: string): Promise<string> {
  const form = new FormData()
  for (const [k, v] of Object.entries({
    name,
    service_id: 'imputation',
    reference_panel_id: 'hrc-r1.1',
    input_format: 'vcf',
    build: 'hg38',
    phasing: 'true',
  }))
    form.append(k, v)
  form.append('input_file', new File(['x'], 'a.vcf'))
  const { data } = await api.post<{ id: string }>('/api/v1/jobs', form)
  return data.id
}

describe('Queue page', () => {
  it('groups the jobs by status and moves them as they progress', async () => {
    await configureMock({ job_queue_seconds: 0, job_run_seconds: 1 })
    const { services } = await renderApp('/queue', { as: ADMIN })
    expect(await screen.findByText('The queue is empty')).toBeInTheDocument()
    await submit(services.api, 'Quick')
    await configureMock({ job_queue_seconds: 600 })
    const stopped = await submit(services.api, 'Stopped')
    await services.api.post(`/api/v1/jobs/${stopped}/cancel`)
    await submit(services.api, 'Waiting')
    const column = (name: string) => screen.getByRole('region', { name: new RegExp(name) })
    await waitFor(
      () => expect(within(column('Completed')).getByText('Quick')).toBeInTheDocument(),
      { timeout: 8000 },
    )
    expect(within(column('Cancelled')).getByText('Stopped')).toBeInTheDocument()
    expect(within(column('Queued')).getByText('Waiting')).toBeInTheDocument()
    expect(within(column('Running')).getByText('None')).toBeInTheDocument()
    expect(within(column('Failed')).getByText('None')).toBeInTheDocument()
  }, 20_000)
})
