import { screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { getMockState, runScenario } from '../../mocks/control'
import { server } from '../../mocks/node'
import { ADMIN, renderApp } from './support/renderApp'

/** Every auth call the app sends, by path: what reached the mocks. */
function recordAuthCalls() {
  const calls: string[] = []
  const listener = ({ request }: { request: Request }) => {
    const { pathname } = new URL(request.url)
    if (/^\/(oauth|api\/v1\/auth)\//.test(pathname)) calls.push(`${request.method} ${pathname}`)
  }
  server.events.on('request:start', listener)
  return { calls, stop: () => server.events.removeListener('request:start', listener) }
}

let stop = () => {}
afterEach(() => stop())

describe('the app with VITE_REFRESH_MODE=oauth', () => {
  it('refreshes at the RFC 6749 token endpoint and revokes at the RFC 7009 one', async () => {
    const recorder = recordAuthCalls()
    stop = recorder.stop
    const { services, user } = await renderApp('/jobs', { as: ADMIN, refreshMode: 'oauth' })
    expect(await screen.findByRole('heading', { name: 'Jobs', level: 1 })).toBeInTheDocument()

    // The server expires every token: the next poll meets a 401, one refresh, one retry.
    await runScenario({ expire_access_tokens: true })
    const before = services.session.getState().accessToken
    await waitFor(() => expect(services.session.getState().accessToken).not.toBe(before), {
      timeout: 4_000,
    })
    expect(recorder.calls.filter((call) => call === 'POST /oauth/token')).toHaveLength(1)
    expect(recorder.calls).not.toContain('POST /api/v1/auth/refresh')
    expect((await getMockState()).counters).toMatchObject({ refreshes: 1, refreshes_rejected: 0 })
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Sign out' }))
    await waitFor(() => expect(recorder.calls).toContain('POST /oauth/revoke'))
    expect(recorder.calls).not.toContain('POST /api/v1/auth/logout')
  })
})
