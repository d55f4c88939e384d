import { act, screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { configureMock, runScenario } from '../../mocks/control'
import { createDevtoolsHandle } from '../../src/devtools/createDevtoolsHandle'
import { db } from '../../mocks/db'
import { ADMIN, renderApp, VIEWER } from './support/renderApp'

beforeEach(async () => {
  await configureMock({ job_queue_seconds: 0, job_run_seconds: 1 })
})

async function startHeldSubmission() {
  const app = await renderApp('/jobs', { as: ADMIN })
  const { user, services } = app
  await screen.findByText('No jobs yet')
  await user.type(screen.getByLabelText('Job name'), 'Held job')
  await user.selectOptions(screen.getByLabelText('Service'), 'imputation')
  await user.selectOptions(screen.getByLabelText('Reference panel'), 'topmed-r2')
  await user.upload(
    screen.getByLabelText('Input file'),
    new File(['##fileformat=VCFv4.2\n'], 'held.vcf'),
  )
  // The server will refuse the next refresh, and the client knows its token is stale.
  await runScenario({ fail_next_refresh: { status: 401 } })
  act(() => createDevtoolsHandle(services.session).forceExpire())
  await user.click(screen.getByRole('button', { name: 'Submit job' }))
  const dialog = await screen.findByRole('dialog', { name: 'Your session has ended' })
  return { ...app, dialog }
}

describe('Re-sign-in in place', () => {
  it('keeps the form, and the held submission completes exactly once for the same user', async () => {
    const { user, dialog } = await startHeldSubmission()
    expect(screen.getByLabelText('Job name')).toHaveValue('Held job')
    expect(screen.getByText(/Waiting for you to sign in again/)).toBeInTheDocument()
    expect(within(dialog).getByLabelText('Email')).toHaveValue(ADMIN.email)
    expect(db.read().jobs).toHaveLength(0)

    await user.type(within(dialog).getByLabelText('Password'), ADMIN.password)
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByText(/Job “Held job” submitted/)).toBeInTheDocument()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(db.read().jobs.filter((j) => j.name === 'Held job')).toHaveLength(1)
    await waitFor(() => expect(screen.getAllByText('Held job').length).toBeGreaterThan(0))
  })

  it('drops the held submission with a visible error when another user signs in', async () => {
    const { user, dialog } = await startHeldSubmission()
    const email = within(dialog).getByLabelText('Email')
    await user.clear(email)
    await user.type(email, VIEWER.email)
    await user.type(within(dialog).getByLabelText('Password'), VIEWER.password)
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByText(/was not sent: another user signed in/)).toBeInTheDocument()
    expect(
      screen.getByText(/Signed in as viewer@etl.local\. Requests that admin@etl.local made/),
    ).toBeInTheDocument()
    expect(db.read().jobs).toHaveLength(0)
    // What was typed is still there for the new user to see.
    expect(screen.getByLabelText('Job name')).toHaveValue('Held job')
  })

  it('tells the user when the password is wrong and keeps the dialog open', async () => {
    const { user, dialog } = await startHeldSubmission()
    await user.type(within(dialog).getByLabelText('Password'), 'nope')
    await user.click(within(dialog).getByRole('button', { name: 'Sign in' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Wrong email or password.')
    expect(screen.getByRole('dialog')).toBeInTheDocument()
  })

  it('submits nothing held after Leave and start over, even when the same user signs in again', async () => {
    const { user, dialog, router } = await startHeldSubmission()
    await user.click(within(dialog).getByRole('button', { name: 'Leave and start over' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'))

    await user.type(screen.getByLabelText('Email'), ADMIN.email)
    await user.type(screen.getByLabelText('Password'), ADMIN.password)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await waitFor(() => expect(router.state.location.pathname).not.toBe('/login'))

    await screen.findByText('No jobs yet')
    expect(db.read().jobs).toHaveLength(0)
  })

  it('goes to the sign-in page after Sign out', async () => {
    const { user, router } = await renderApp('/queue', { as: ADMIN })
    await user.click(await screen.findByRole('button', { name: 'Sign out' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'))
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
  })
})
