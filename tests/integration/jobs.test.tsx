import { screen, waitFor, within } from '@testing-library/react'
import { http, HttpResponse } from 'msw'
import { beforeEach, describe, expect, it } from 'vitest'
import { configureMock, getMockState, runScenario } from '../../mocks/control'
import { server } from '../../mocks/node'
import { ADMIN, renderApp, VIEWER } from './support/renderApp'

function vcf(name = 'cohort.vcf') {
  return new File(['##fileformat=VCFv4.2\n#CHROM\tPOS\tID\n20\t1\trs1\n'], name, {
    type: 'text/plain',
  })
}

async function fillForm(
  user: Awaited<ReturnType<typeof renderApp>>['user'],
  name: string,
  file = vcf(),
) {
  await user.type(screen.getByLabelText('Job name'), name)
  await user.selectOptions(screen.getByLabelText('Service'), 'imputation')
  await user.selectOptions(screen.getByLabelText('Reference panel'), 'hrc-r1.1')
  await user.selectOptions(screen.getByLabelText('Input format'), 'vcf')
  await user.upload(screen.getByLabelText('Input file'), file)
}

beforeEach(async () => {
  await configureMock({ job_queue_seconds: 0, job_run_seconds: 2 })
})

describe('Jobs page', () => {
  it('submits a job with its file and follows it to completed', async () => {
    const { user } = await renderApp('/jobs', { as: ADMIN })
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument()
    await fillForm(user, 'Cohort A chr20')
    await user.click(screen.getByRole('button', { name: 'Submit job' }))
    expect(await screen.findByText(/Job “Cohort A chr20” submitted/)).toBeInTheDocument()
    const row = (await screen.findByText('Cohort A chr20', { selector: '.cell-title' })).closest(
      'tr',
    )!
    // jsdom's multipart loses the file's name and bytes on the way; the e2e test checks them.
    // The service and the panel by the names the form offers, not their ids.
    expect(within(row).getByText('Genotype imputation · HRC r1.1')).toBeInTheDocument()
    expect(within(row).getByText('VCF · hg38')).toBeInTheDocument()
    expect(within(row).queryByText(/hrc-r1\.1/)).not.toBeInTheDocument()
    // The id is cut to fit; the whole of it, and of the name, shows on hover.
    const id = row.getAttribute('data-job-id')!
    expect(within(row).getByText(id)).toHaveAttribute('title', id)
    expect(within(row).getByText('Cohort A chr20')).toHaveAttribute('title', 'Cohort A chr20')
    // The job's 2 s run passes on the mock's clock, not the test's: a loaded machine then has
    // only the page's next poll (1 s while a job is active) to wait for.
    await runScenario({ advance_clock_seconds: 2 })
    await waitFor(() => expect(within(row).getByText('completed')).toBeInTheDocument(), {
      timeout: 3000,
    })
    expect(within(row).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100')
    // The form is ready for the next job.
    expect(screen.getByLabelText('Job name')).toHaveValue('')
  })

  it('shows a message for every missing field and sends nothing', async () => {
    const { user } = await renderApp('/jobs', { as: ADMIN })
    await user.click(screen.getByRole('button', { name: 'Submit job' }))
    expect(screen.getByText('Give the job a name.')).toBeInTheDocument()
    expect(screen.getByText('Choose a service.')).toBeInTheDocument()
    expect(screen.getByText('Choose a reference panel.')).toBeInTheDocument()
    expect(screen.getByText('Choose the input file to upload.')).toBeInTheDocument()
    expect(screen.getByLabelText('Job name')).toHaveAttribute('aria-invalid', 'true')
    const { items } = await listAtServer()
    expect(items).toBe(0)
  })

  it('shows the server’s answer when it refuses the upload', async () => {
    server.use(
      http.post(
        '*/api/v1/jobs',
        () =>
          HttpResponse.json(
            { detail: 'Upload too large: 99 bytes (limit 1 bytes)' },
            { status: 413 },
          ),
        {
          once: true,
        },
      ),
    )
    const { user } = await renderApp('/jobs', { as: ADMIN })
    await fillForm(user, 'Too big')
    await user.click(screen.getByRole('button', { name: 'Submit job' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'the file is too large. Upload too large',
    )
    expect(screen.getByLabelText('Job name')).toHaveValue('Too big')
  })

  it('shows a failed upload’s error once, and clears it when submitting again succeeds', async () => {
    server.use(
      http.post('*/api/v1/jobs', () => HttpResponse.json({ detail: 'boom' }, { status: 500 }), {
        once: true,
      }),
    )
    const { user } = await renderApp('/jobs', { as: ADMIN })
    await fillForm(user, 'Flaky one')
    await user.click(screen.getByRole('button', { name: 'Submit job' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Submitting the job failed: the server had a problem (500). Try again in a moment.',
    )
    expect(screen.getAllByText(/server had a problem/)).toHaveLength(1)
    // What was typed is kept for the retry.
    expect(screen.getByLabelText('Job name')).toHaveValue('Flaky one')
    await user.click(screen.getByRole('button', { name: 'Submit job' }))
    expect(await screen.findByText(/Job “Flaky one” submitted/)).toBeInTheDocument()
    expect(screen.queryByText(/server had a problem/)).not.toBeInTheDocument()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })

  it('says what the server refused once: at the field, with the notice pointing to it', async () => {
    server.use(
      http.post(
        '*/api/v1/jobs',
        () =>
          HttpResponse.json(
            {
              detail: 'Validation failed: name: must be at most 100 characters',
              errors: [{ field: 'name', message: 'must be at most 100 characters' }],
            },
            { status: 422 },
          ),
        { once: true },
      ),
    )
    const { user } = await renderApp('/jobs', { as: ADMIN })
    await fillForm(user, 'Named at length')
    await user.click(screen.getByRole('button', { name: 'Submit job' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Submitting the job failed: correct the field marked below.',
    )
    expect(screen.getAllByText(/must be at most 100 characters/)).toHaveLength(1)
    expect(screen.getByLabelText('Job name')).toHaveAccessibleDescription(
      'name must be at most 100 characters',
    )
  })

  it('cancels a running job', async () => {
    await configureMock({ job_queue_seconds: 0, job_run_seconds: 60 })
    const { user } = await renderApp('/jobs', { as: ADMIN })
    await fillForm(user, 'Long one')
    await user.click(screen.getByRole('button', { name: 'Submit job' }))
    await user.click(await screen.findByRole('button', { name: 'Cancel Long one' }))
    const row = screen.getByText('Long one', { selector: '.cell-title' }).closest('tr')!
    // It asks first; "Keep" leaves the job running.
    await user.click(within(row).getByRole('button', { name: 'Keep' }))
    expect(within(row).getByRole('button', { name: 'Cancel Long one' })).toHaveFocus()
    await user.click(within(row).getByRole('button', { name: 'Cancel Long one' }))
    await user.click(within(row).getByRole('button', { name: 'Yes, cancel' }))
    await waitFor(() => expect(within(row).getByText('cancelled')).toBeInTheDocument())
    expect(within(row).queryByRole('button', { name: /Cancel/ })).not.toBeInTheDocument()
  })

  it('shows a viewer a read-only form, the submit button disabled with the reason, instead of a 403', async () => {
    await renderApp('/jobs', { as: VIEWER })
    const button = await screen.findByRole('button', { name: 'Submit job' })
    expect(button).toBeDisabled()
    expect(button).toHaveAccessibleDescription(
      /Your role \(viewer\) cannot submit jobs: it needs the jobs:submit permission/,
    )
    // Read-only: nothing in the form can be filled in either.
    for (const label of ['Job name', 'Service', 'Reference panel', 'Input format', 'Input file'])
      expect(screen.getByLabelText(label)).toBeDisabled()
    expect((await getMockState()).counters.requests).toBeGreaterThan(0)
  })

  it('shows an error with a retry when the list cannot load', async () => {
    let broken = true
    // While broken, every list call fails; after that the real handler answers.
    server.use(
      http.get('*/api/v1/jobs', () =>
        broken ? HttpResponse.json({ detail: 'boom' }, { status: 503 }) : undefined,
      ),
    )
    const { user } = await renderApp('/jobs', { as: ADMIN })
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Loading your jobs failed: the server had a problem (503)',
    )
    broken = false
    await user.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })
})

async function listAtServer(): Promise<{ items: number }> {
  const { db } = await import('../../mocks/db')
  return { items: db.read().jobs.length }
}
