import { screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { configureMock, getMockState, runScenario } from '../../mocks/control'
import { server } from '../../mocks/node'
import { ADMIN, renderApp } from './support/renderApp'

/** Every refresh the app sends: its Bearer token and whether it had a body, as the mocks got it. */
function recordRefreshes() {
  const refreshes: { bearer: string | null; hasBody: boolean }[] = []
  const listener = ({ request }: { request: Request }) => {
    if (new URL(request.url).pathname !== '/api/v1/auth/refresh') return
    refreshes.push({
      bearer: request.headers.get('authorization')?.replace(/^Bearer /, '') ?? null,
      hasBody: request.body !== null,
    })
  }
  server.events.on('request:start', listener)
  return { refreshes, stop: () => server.events.removeListener('request:start', listener) }
}

let stop = () => {}
afterEach(() => stop())

describe('the app with VITE_REFRESH_MODE=sliding (seed 003)', () => {
  it('refreshes with the access token as Bearer and no body, keeping no refresh token', async () => {
    await configureMock({ refresh_mode: 'sliding' })
    const recorder = recordRefreshes()
    stop = recorder.stop
    const { services } = await renderApp('/jobs', { as: ADMIN, refreshMode: 'sliding' })
    expect(await screen.findByRole('heading', { name: 'Jobs', level: 1 })).toBeInTheDocument()
    const before = services.session.getState().accessToken

    // The server expires every token: the next poll meets a 401, one refresh, one retry.
    await runScenario({ expire_access_tokens: true })
    await waitFor(() => expect(services.session.getState().accessToken).not.toBe(before), {
      timeout: 4_000,
    })

    expect(recorder.refreshes).toEqual([{ bearer: before, hasBody: false }])
    expect((await getMockState()).counters).toMatchObject({ refreshes: 1, refreshes_rejected: 0 })
    expect(services.session.getState()).toMatchObject({
      status: 'authenticated',
      refreshToken: null,
    })
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
  })
})
