import { act, render, renderHook, screen } from '@testing-library/react'
import { Profiler, StrictMode, type ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createAuthSession,
  createLocalCoordinator,
  createMemoryStorage,
  createRefreshAdapter,
  type AuthSession,
} from '../../src/core'
import {
  AuthProvider,
  RequireAuth,
  SessionCountdown,
  useAuth,
  useAuthStore,
  useTimeLeft,
} from '../../src/react'
import { fakeSession } from './support/fakeSession'

const noLogin = async () => ({ accessToken: 'unused' })

function wrapper(session: ReturnType<typeof fakeSession>, login = noLogin) {
  return ({ children }: { children: ReactNode }) => (
    <AuthProvider session={session} login={login}>
      {children}
    </AuthProvider>
  )
}

function renderInStrictMode(session: AuthSession) {
  return render(
    <StrictMode>
      <AuthProvider session={session} login={noLogin}>
        <p>app</p>
      </AuthProvider>
    </StrictMode>,
  )
}

afterEach(() => {
  vi.useRealTimers()
})

describe('AuthProvider', () => {
  it('starts the engine once under StrictMode and stops it once on unmount', async () => {
    const session = fakeSession()
    const view = renderInStrictMode(session)
    await act(async () => {})
    expect(session.start).toHaveBeenCalledTimes(1)
    expect(session.stop).not.toHaveBeenCalled()
    view.unmount()
    await act(async () => {})
    expect(session.stop).toHaveBeenCalledTimes(1)
    expect(session.start).toHaveBeenCalledTimes(1)
  })

  it('runs a real session under StrictMode and leaves no scheduler behind', async () => {
    const session = createAuthSession({
      storage: createMemoryStorage(),
      refresh: createRefreshAdapter({ baseURL: window.location.origin }),
      coordinator: createLocalCoordinator(),
      channel: null,
    })
    const start = vi.spyOn(session, 'start')
    const stop = vi.spyOn(session, 'stop')
    const view = renderInStrictMode(session)
    await act(async () => {})
    expect(start).toHaveBeenCalledTimes(1)
    view.unmount()
    await act(async () => {})
    expect(stop).toHaveBeenCalledTimes(1)
  })
})

describe('useAuth', () => {
  it('explains the fix when used outside <AuthProvider>', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => renderHook(() => useAuth())).toThrow(
      /useAuth\(\) must be used inside <AuthProvider>: wrap your app in <AuthProvider session=/,
    )
  })

  it('logs in through the provider and adopts the tokens it returns', async () => {
    const session = fakeSession()
    const login = vi.fn(async () => ({ accessToken: 'a.b.c', refreshToken: 'r' }))
    const { result } = renderHook(() => useAuth<{ email: string }>(), {
      wrapper: wrapper(session, login),
    })
    expect(result.current.status).toBe('anonymous')
    await act(() => result.current.login({ email: 'ada@example.org' }))
    expect(login).toHaveBeenCalledWith({ email: 'ada@example.org' })
    expect(session.setTokens).toHaveBeenCalledWith({ accessToken: 'a.b.c', refreshToken: 'r' })
    expect(result.current.status).toBe('authenticated')
    expect(result.current.user?.email).toBe('ada@example.org')
  })

  it('refreshToken() answers true on success and false when the refresh fails', async () => {
    const session = fakeSession({ status: 'authenticated' })
    const { result } = renderHook(() => useAuth(), { wrapper: wrapper(session) })
    await expect(result.current.refreshToken()).resolves.toBe(true)
    session.refresh.mockRejectedValueOnce(new Error('down'))
    await expect(result.current.refreshToken()).resolves.toBe(false)
    expect(session.refresh).toHaveBeenCalledWith('manual')
  })
})

describe('useAuthStore', () => {
  it('re-renders only when its slice changes', () => {
    const session = fakeSession({ status: 'authenticated', refreshCount: 0 })
    let renders = 0
    const { result } = renderHook(
      () => {
        renders += 1
        return useAuthStore((s) => s.status)
      },
      { wrapper: wrapper(session) },
    )
    const before = renders
    act(() => session.store.setState({ refreshCount: 5, lastRefreshAt: 1 }))
    expect(renders).toBe(before)
    act(() => session.store.setState({ status: 'refreshing' }))
    expect(result.current).toBe('refreshing')
    expect(renders).toBe(before + 1)
  })
})

describe('SessionCountdown', () => {
  it('ticks once a second while mounted, and nothing else re-renders', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T10:00:00Z') })
    const session = fakeSession({
      status: 'authenticated',
      expiresAt: Date.now() + 90_000,
      user: { sub: 'u1', email: 'ada@example.org' },
    })
    const commits: Record<string, number> = { page: 0, countdown: 0 }
    const count = (id: string) => () => {
      commits[id] = (commits[id] ?? 0) + 1
    }
    function Page() {
      const { user } = useAuth()
      commits.page = (commits.page ?? 0) + 1
      return (
        <>
          <p>{user?.email}</p>
          <Profiler id="countdown" onRender={count('countdown')}>
            <span data-testid="left">
              <SessionCountdown />
            </span>
          </Profiler>
        </>
      )
    }
    function Sibling() {
      const { status } = useAuth()
      commits.sibling = (commits.sibling ?? 0) + 1
      return <p>{status}</p>
    }
    const view = render(
      <AuthProvider session={session} login={noLogin}>
        <Page />
        <Sibling />
      </AuthProvider>,
    )
    expect(screen.getByTestId('left')).toHaveTextContent('1:30')
    const page = commits.page!
    const sibling = commits.sibling!
    const countdown = commits.countdown!

    for (let second = 0; second < 5; second++) act(() => vi.advanceTimersByTime(1_000))
    expect(screen.getByTestId('left')).toHaveTextContent('1:25')
    expect(commits.countdown! - countdown).toBe(5)
    // The page around the countdown and a sibling that reads useAuth() never render again.
    expect(commits.page).toBe(page)
    expect(commits.sibling).toBe(sibling)
    view.unmount()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('useTimeLeft reads null without a token, and 0 once expired', () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T10:00:00Z') })
    const session = fakeSession()
    const { result } = renderHook(() => useTimeLeft(), { wrapper: wrapper(session) })
    expect(result.current).toBeNull()
    act(() => session.store.setState({ status: 'authenticated', expiresAt: Date.now() + 2_000 }))
    expect(result.current).toBe(2)
    act(() => vi.advanceTimersByTime(5_000))
    expect(result.current).toBe(0)
  })
})

describe('RequireAuth', () => {
  function Guarded() {
    return (
      <RequireAuth fallback={<p>please sign in</p>}>
        <p>secret page</p>
      </RequireAuth>
    )
  }

  it('shows the fallback to nobody, the page to a signed-in user', () => {
    const session = fakeSession()
    render(<Guarded />, { wrapper: wrapper(session) })
    expect(screen.getByText('please sign in')).toBeInTheDocument()
    act(() => session.store.setState({ status: 'authenticated' }))
    expect(screen.getByText('secret page')).toBeInTheDocument()
  })

  it('keeps the page mounted when the server ended the session, but not after a sign-out', () => {
    const session = fakeSession({ status: 'authenticated' })
    render(<Guarded />, { wrapper: wrapper(session) })
    act(() => session.store.setState({ status: 'ended', endReason: 'refresh-rejected' }))
    expect(screen.getByText('secret page')).toBeInTheDocument()
    act(() => session.store.setState({ status: 'ended', endReason: 'logout' }))
    expect(screen.getByText('please sign in')).toBeInTheDocument()
  })
})
