import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { getMockState } from '../../mocks/control'
import { ADMIN, renderApp } from './support/renderApp'

async function openToolbar(user: Awaited<ReturnType<typeof renderApp>>['user']) {
  await user.click(await screen.findByRole('button', { name: 'Mock controls' }))
  return screen.getByRole('complementary', { name: 'Tester toolbar' })
}

describe('Tester toolbar', () => {
  it('says that Reset mocks signs everyone out before it does, and resets only when confirmed', async () => {
    const { user } = await renderApp('/session', { as: ADMIN, mocks: true })
    const toolbar = await openToolbar(user)
    await user.click(within(toolbar).getByRole('button', { name: 'Reset mocks' }))
    expect(within(toolbar).getByText(/This signs everyone out/)).toBeInTheDocument()
    // Asking changed nothing yet; "Keep" leaves the mocks as they were.
    await user.click(within(toolbar).getByRole('button', { name: 'Keep' }))
    expect((await getMockState()).counters.logins).toBe(1)

    await user.click(within(toolbar).getByRole('button', { name: 'Reset mocks' }))
    await user.click(within(toolbar).getByRole('button', { name: 'Reset and sign out' }))
    await waitFor(async () => expect((await getMockState()).counters.logins).toBe(0))
  })

  it.each(['0', '1', '4', '-5', '1e9', '86401'])(
    'refuses a token lifetime of %s in place, with the mocks’ own reason',
    async (value) => {
      const { user } = await renderApp('/session', { as: ADMIN, mocks: true })
      const toolbar = await openToolbar(user)
      const field = within(toolbar).getByLabelText('Token lifetime (s)')
      await user.type(field, value)
      await user.click(within(toolbar).getByRole('button', { name: 'Set lifetime' }))
      const reason = await within(toolbar).findByRole('alert')
      expect(reason).toHaveTextContent(
        'Validation failed: access_ttl_seconds: must be an integer from 5 to 86400',
      )
      expect(reason).not.toHaveTextContent(/is the app on its mocks/)
      expect(field).toHaveAttribute('aria-invalid', 'true')
      expect((await getMockState()).config.access_ttl_seconds).toBe(300)
    },
  )

  it('accepts the bounds of the server’s range, 5 and 86400', async () => {
    const { user } = await renderApp('/session', { as: ADMIN, mocks: true })
    const toolbar = await openToolbar(user)
    const field = within(toolbar).getByLabelText('Token lifetime (s)')
    for (const seconds of [5, 86_400]) {
      await user.clear(field)
      await user.type(field, String(seconds))
      await user.click(within(toolbar).getByRole('button', { name: 'Set lifetime' }))
      await within(toolbar).findByText(`New tokens live ${seconds} s`)
      expect((await getMockState()).config.access_ttl_seconds).toBe(seconds)
    }
    expect(within(toolbar).queryByRole('alert')).not.toBeInTheDocument()
  })
})
