import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { getMockState } from '../../mocks/control'
import { ADMIN, renderApp, VIEWER } from './support/renderApp'

describe('Sign in page', () => {
  it('signs in and lands on the page the user asked for', async () => {
    const { user, router, services } = await renderApp('/jobs')
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'))
    await user.type(screen.getByLabelText('Email'), ADMIN.email)
    await user.type(screen.getByLabelText('Password'), ADMIN.password)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('heading', { name: 'Jobs', level: 1 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/jobs')
    expect(screen.getByRole('status', { name: 'Session' })).toHaveTextContent(/\d:\d\d left/)
    expect(services.session.getState().user?.email).toBe(ADMIN.email)
    expect((await getMockState()).counters.logins).toBe(1)
  })

  it('says so when the credentials are wrong, and stays on the page', async () => {
    const { user, services } = await renderApp('/login')
    await user.type(screen.getByLabelText('Email'), ADMIN.email)
    await user.type(screen.getByLabelText('Password'), 'wrong-password')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password')
    expect(services.session.getState().status).not.toBe('authenticated')
  })

  it('asks for both fields before calling the server', async () => {
    const { user } = await renderApp('/login')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter your email and your password')
    expect((await getMockState()).counters.requests).toBe(0)
  })

  it('shows the Retry-After wait after too many failures and disables the button', async () => {
    const { user } = await renderApp('/login')
    await user.type(screen.getByLabelText('Email'), ADMIN.email)
    await user.type(screen.getByLabelText('Password'), 'wrong-password')
    const button = screen.getByRole('button', { name: 'Sign in' })
    for (let attempt = 0; attempt < 5; attempt++) {
      await user.click(button)
      await screen.findByText(/Wrong email or password/)
    }
    await user.click(button)
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent(`Too many failed attempts for ${ADMIN.email}`)
    // The countdown is the one number shown, and it sits outside the alert, which a screen
    // reader would otherwise read again at every tick.
    expect(alert.textContent).not.toMatch(/\d+ s/)
    expect(screen.getByText(/can try again in/).textContent).toMatch(/in \d+ s\.$/)
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled()

    // The server throttles that account only: another one can sign in at once.
    await user.clear(screen.getByLabelText('Email'))
    await user.type(screen.getByLabelText('Email'), VIEWER.email)
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled()
    expect(screen.queryByText(/can try again in/)).not.toBeInTheDocument()
    await user.clear(screen.getByLabelText('Password'))
    await user.type(screen.getByLabelText('Password'), VIEWER.password)
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await waitFor(() =>
      expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Pipelines'),
    )
  })
})

describe('Register page', () => {
  it('creates an account and signs the new user in', async () => {
    const { user, services, router } = await renderApp('/register')
    await user.type(screen.getByLabelText('Name'), 'Grace Hopper')
    await user.type(screen.getByLabelText('Email'), 'grace@example.org')
    await user.type(screen.getByLabelText('Password'), 'cobol-1959')
    await user.click(screen.getByRole('button', { name: 'Create account' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/pipelines'))
    expect(services.session.getState().user).toMatchObject({
      email: 'grace@example.org',
      role: 'user',
    })
  })

  it('validates the fields before sending', async () => {
    const { user } = await renderApp('/register')
    await user.type(screen.getByLabelText('Email'), 'not-an-email')
    await user.type(screen.getByLabelText('Password'), 'short')
    await user.click(screen.getByRole('button', { name: 'Create account' }))
    expect(screen.getByText('Enter your name.')).toBeInTheDocument()
    expect(screen.getByText('Enter a valid email address.')).toBeInTheDocument()
    expect(screen.getByText('Use at least 8 characters.')).toBeInTheDocument()
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true')
  })

  it('says when the email is taken and offers to sign in', async () => {
    const { user } = await renderApp('/register')
    await user.type(screen.getByLabelText('Name'), 'Someone')
    await user.type(screen.getByLabelText('Email'), ADMIN.email)
    await user.type(screen.getByLabelText('Password'), 'long-enough')
    await user.click(screen.getByRole('button', { name: 'Create account' }))
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'An account with this email already exists',
    )
    expect(screen.getByRole('link', { name: 'Sign in instead' })).toHaveAttribute('href', '/login')
  })
})
