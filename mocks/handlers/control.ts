import { http, HttpResponse } from 'msw'
import { controlRoute, type RouteResolver } from '../apiRoute'
import {
  configureMock,
  getMockState,
  MockControlError,
  resetMock,
  runScenario,
  type MockScenario,
  type MockStateSnapshot,
} from '../control'
import { guardControlRequest } from '../guardControlRequest'
import { readJsonObject, validationError } from '../httpErrors'
import type { MockConfig } from '../model'

function control(
  operation: (body: Record<string, unknown>) => Promise<MockStateSnapshot>,
): RouteResolver {
  return controlRoute(async ({ request }) => {
    guardControlRequest(request)
    const body = request.method === 'GET' ? {} : await readJsonObject(request)
    try {
      return HttpResponse.json(await operation(body))
    } catch (error) {
      if (error instanceof MockControlError) throw validationError(error.errors)
      throw error
    }
  })
}

export const controlHandlers = [
  http.get(
    '*/__mock/state',
    control(() => getMockState()),
  ),
  http.post(
    '*/__mock/config',
    control((body) => configureMock(body as Partial<MockConfig>)),
  ),
  http.post(
    '*/__mock/scenario',
    control((body) => runScenario(body as MockScenario)),
  ),
  http.post(
    '*/__mock/reset',
    control(() => resetMock()),
  ),
]
