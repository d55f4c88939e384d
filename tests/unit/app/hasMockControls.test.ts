import { HttpResponse, http } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { hasMockControls } from '../../../src/app/mockControls'
import { server } from '../../../mocks/node'

// In dev against VITE_API_URL the app shows the tester toolbar and the demo accounts only
// where this probe finds the control API.
describe('hasMockControls', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => server.resetHandlers())
  afterAll(() => server.close())

  it('finds the control API where the mocks serve it (as `npm run mock:server` does)', async () => {
    expect(await hasMockControls('http://mock.local')).toBe(true)
  })

  it('finds none behind a dev server whose SPA fallback answers every path with index.html', async () => {
    server.use(
      http.get('http://spa.local/__mock/state', () =>
        HttpResponse.html('<!doctype html><div id="root"></div>'),
      ),
    )
    expect(await hasMockControls('http://spa.local')).toBe(false)
  })

  it('finds none on a real backend (404) or one that cannot be reached', async () => {
    server.use(
      http.get('http://api.local/__mock/state', () =>
        HttpResponse.json({ detail: 'Not Found' }, { status: 404 }),
      ),
      http.get('http://down.local/__mock/state', () => HttpResponse.error()),
    )
    expect(await hasMockControls('http://api.local')).toBe(false)
    expect(await hasMockControls('http://down.local')).toBe(false)
  })
})
