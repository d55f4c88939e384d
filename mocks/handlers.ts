import { http } from 'msw'
import { apiRoute, controlRoute } from './apiRoute'
import { mockAuth } from './db'
import { controlHandlers } from './handlers/control'
import { dagHandlers } from './handlers/dags'
import { jobHandlers } from './handlers/jobs'
import { jsonError } from './httpErrors'

const notFound = (request: Request) =>
  jsonError(404, `Not found: ${request.method} ${new URL(request.url).pathname}`)

/**
 * Last in the list. Matched on the path, not the pattern: `*\/api/*` alone would also catch a
 * dev server's module such as `/src/api/client.ts`.
 */
const fallbacks = [
  http.all('*', ({ request }) => {
    const { pathname } = new URL(request.url)
    if (pathname.startsWith('/api/'))
      return apiRoute(async () => notFound(request))({ request, params: {} })
    if (pathname.startsWith('/__mock/') || pathname === '/__mock') {
      return controlRoute(async () => notFound(request))({ request, params: {} })
    }
    return undefined
  }),
]

/** Every route of the contract and of the control API, for setupWorker, setupServer and HTTP. */
export const handlers = [
  ...mockAuth.handlers,
  ...jobHandlers,
  ...dagHandlers,
  ...controlHandlers,
  ...fallbacks,
]
