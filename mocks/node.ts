import { setupServer } from 'msw/node'
import { handlers } from './handlers'

/** The mocks for Node tests: `server.listen()` in a setup file; state lives in memory. */
export const server = setupServer(...handlers)
