// The baseline of `bench/chaos.ts`, in the shape of seed 003: the token in localStorage, a 30 s
// tick that refreshes when under 60 s remain, and an axios response interceptor that on every
// 401 refreshes and retries once, signing out when the refresh fails. No single flight, no
// cross-tab coordination. Its pages poll what the app's pages poll, and a failed load shows a
// `role="alert"` until the next load succeeds, as the app does. Bundled for the browser by
// `buildNaiveClient.ts`; the API origin comes from `<meta name="api-url">`.
import axios, { type AxiosError, type InternalAxiosRequestConfig } from 'axios'

const API = document.querySelector<HTMLMetaElement>('meta[name="api-url"]')?.content ?? ''
const TOKEN = 'token'
const REFRESH_TOKEN = 'refresh_token'

const counts = { rejected: 0, refreshFailed: 0, loggedOut: 0 }
;(window as unknown as { __naive: typeof counts }).__naive = counts

const api = axios.create({ baseURL: API })

api.interceptors.request.use((config) => {
  const token = localStorage.getItem(TOKEN)
  if (token) config.headers.set('Authorization', `Bearer ${token}`)
  return config
})

api.interceptors.response.use(undefined, async (error: AxiosError) => {
  const config = error.config as (InternalAxiosRequestConfig & { _retry?: boolean }) | undefined
  if (error.response?.status === 401 && config && !config._retry) {
    config._retry = true
    if (await refreshToken()) return api(config)
    logout()
  }
  throw error
})

async function refreshToken(): Promise<boolean> {
  try {
    const { data } = await axios.post<{ access_token: string; refresh_token: string }>(
      `${API}/api/v1/auth/refresh`,
      { refresh_token: localStorage.getItem(REFRESH_TOKEN) },
    )
    localStorage.setItem(TOKEN, data.access_token)
    localStorage.setItem(REFRESH_TOKEN, data.refresh_token)
    return true
  } catch {
    counts.refreshFailed++
    return false
  }
}

function secondsLeft(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')))
    return payload.exp - Date.now() / 1000
  } catch {
    return 0
  }
}

setInterval(async () => {
  const token = localStorage.getItem(TOKEN)
  if (!signedIn || !token || secondsLeft(token) >= 60) return
  if (!(await refreshToken())) logout()
}, 30_000)

let signedIn = localStorage.getItem(TOKEN) !== null
let generation = 0

function logout(): void {
  if (!signedIn) return
  signedIn = false
  counts.loggedOut++
  localStorage.removeItem(TOKEN)
  localStorage.removeItem(REFRESH_TOKEN)
  go('/login')
}

function go(path: string): void {
  history.pushState(null, '', path)
  render()
}

const root = document.getElementById('root')!

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(props)) {
    if (name in node) (node as unknown as Record<string, unknown>)[name] = value
    else node.setAttribute(name, String(value))
  }
  node.append(...children)
  return node
}

function renderSignIn(): void {
  const email = el('input', { id: 'email', type: 'email' })
  const password = el('input', { id: 'password', type: 'password' })
  const error = el('p')
  const form = el(
    'form',
    {},
    el('label', { htmlFor: 'email' }, 'Email'),
    email,
    el('label', { htmlFor: 'password' }, 'Password'),
    password,
    el('button', { type: 'submit' }, 'Sign in'),
    error,
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    try {
      const { data } = await axios.post<{ access_token: string; refresh_token: string }>(
        `${API}/api/v1/auth/login`,
        { email: email.value, password: password.value },
      )
      localStorage.setItem(TOKEN, data.access_token)
      localStorage.setItem(REFRESH_TOKEN, data.refresh_token)
      signedIn = true
      go('/jobs')
    } catch {
      error.textContent = 'Sign-in failed.'
    }
  })
  root.replaceChildren(el('h1', {}, 'Sign in'), form)
}

const PAGES: Record<string, { title: string; load?: () => Promise<unknown>; every: number }> = {
  '/jobs': { title: 'Jobs', load: () => api.get('/api/v1/jobs'), every: 1000 },
  '/queue': { title: 'Queue', load: () => api.get('/api/v1/jobs'), every: 1000 },
  '/pipelines': {
    title: 'Pipelines',
    load: () =>
      Promise.all([
        api.get('/api/v2/dags'),
        api.get('/api/v2/dags/ftp_multi_station_download/dagRuns', { params: { limit: 8 } }),
        api.get('/api/v2/dags/process_multistation_data/dagRuns', { params: { limit: 8 } }),
      ]),
    every: 10_000,
  },
  '/session': { title: 'Session', every: 0 },
}

function renderPage(path: string): void {
  const page = PAGES[path] ?? PAGES['/jobs']!
  const nav = el('nav', { 'aria-label': 'Main' })
  for (const [to, { title }] of Object.entries(PAGES)) {
    const link = el('a', { href: to }, title)
    link.addEventListener('click', (event) => {
      event.preventDefault()
      go(to)
    })
    nav.append(link)
  }
  const signOut = el('button', { type: 'button' }, 'Sign out')
  signOut.addEventListener('click', logout)
  const status = el('div')
  root.replaceChildren(el('header', {}, nav, signOut), el('h1', {}, page.title), status)
  const mine = generation
  const poll = async () => {
    if (!page.load || mine !== generation) return
    try {
      await page.load()
      if (mine === generation) status.replaceChildren(el('p', {}, 'Loaded'))
    } catch (error) {
      counts.rejected++
      if (mine !== generation) return
      const message = (error as AxiosError).response?.status ?? 'network error'
      status.replaceChildren(
        el('div', { role: 'alert' }, `Loading ${page.title} failed: ${message}`),
      )
    }
    if (mine === generation) setTimeout(poll, page.every)
  }
  void poll()
}

function render(): void {
  generation++
  if (!signedIn || location.pathname === '/login') {
    if (location.pathname !== '/login') history.replaceState(null, '', '/login')
    renderSignIn()
  } else renderPage(location.pathname)
}

render()
