import { screen, within } from '@testing-library/react'
import { createMemoryStorage } from '../../src/core'
import { describe, expect, it } from 'vitest'
import { getMockState, runScenario } from '../../mocks/control'
import { ADMIN, renderApp } from './support/renderApp'

describe('Session page', () => {
  it('shows the claims with readable times, and never a token', async () => {
    const { services } = await renderApp('/session', { as: ADMIN })
    const claims = await screen.findByRole('table')
    expect(
      within(claims).getByRole('rowheader', { name: 'email' }).closest('tr'),
    ).toHaveTextContent(ADMIN.email)
    expect(
      within(claims).getByRole('rowheader', { name: 'permissions' }).closest('tr'),
    ).toHaveTextContent('jobs:submit')
    const exp = services.session.getState().user!.exp as number
    expect(within(claims).getByRole('rowheader', { name: 'exp' }).closest('tr')).toHaveTextContent(
      new Date(exp * 1000)
        .toLocaleString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .slice(0, 5),
    )
    const { accessToken, refreshToken } = services.session.getState()
    expect(document.body.innerHTML).not.toContain(accessToken!)
    expect(document.body.innerHTML).not.toContain(refreshToken!)
    expect(screen.getByRole('progressbar', { name: 'Access token time left' })).toBeInTheDocument()
  })

  it('Refresh now refreshes once and the timeline shows it', async () => {
    const { user } = await renderApp('/session', { as: ADMIN })
    const history = await screen.findByRole('list', { name: 'Refresh history' })
    expect(within(history).getByText('Signed in')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Refresh now' }))
    expect(await screen.findByText(/Token refreshed at/)).toBeInTheDocument()
    expect(within(history).getByText('Refreshed')).toBeInTheDocument()
    expect(
      within(history).getByText(/^on request \(Refresh now\) · new token until /),
    ).toBeInTheDocument()
    expect(screen.getByTestId('refresh-count')).toHaveTextContent('1')
    expect((await getMockState()).counters.refreshes).toBe(1)
  })

  it('says why when the refresh fails, and keeps the session on a 500', async () => {
    const { user, services } = await renderApp('/session', { as: ADMIN })
    await runScenario({ fail_next_refresh: { status: 500 } })
    await user.click(await screen.findByRole('button', { name: 'Refresh now' }))
    // The notice names the failure while the engine's retry (1 s later) is pending...
    const notice = await screen.findByText(/Refresh failed with status 500/, {
      selector: '.alert__text',
    })
    expect(notice).toHaveTextContent(/The session is kept/)
    const history = screen.getByRole('list', { name: 'Refresh history' })
    expect(within(history).getByText('Refresh failed, will retry')).toBeInTheDocument()
    // ...and says so once that retry has succeeded, still signed in. The wait covers the
    // engine's 1 s retry delay, which is the behaviour under test, not a slow machine.
    expect(
      await screen.findByText(/Token refreshed at .*, after a retry/, {}, { timeout: 5_000 }),
    ).toBeInTheDocument()
    expect(screen.queryByText(/The refresh failed/)).not.toBeInTheDocument()
    expect(services.session.getState().status).toBe('authenticated')
    // One refresh call for the click (answered 500), one for the retry.
    const { counters } = await getMockState()
    expect([counters.refreshes, counters.refreshes_failed]).toEqual([2, 1])
  })

  it('keeps the history across a reload of the tab, instead of "Nothing yet"', async () => {
    const storage = createMemoryStorage()
    const before = await renderApp('/session', {
      as: ADMIN,
      storage,
      logStorage: sessionStorage,
    })
    await before.user.click(await screen.findByRole('button', { name: 'Refresh now' }))
    await screen.findByText(/Token refreshed at/)
    before.unmount()

    // The same tab reloaded: new services over the same storages, no new sign-in.
    await renderApp('/session', { storage, logStorage: sessionStorage })
    const history = await screen.findByRole('list', { name: 'Refresh history' })
    expect(within(history).getByText('Refreshed')).toBeInTheDocument()
    expect(within(history).getByText('Signed in')).toBeInTheDocument()
    expect(screen.queryByText('Nothing yet')).not.toBeInTheDocument()
    expect((await getMockState()).counters.logins).toBe(1)
  })
})
