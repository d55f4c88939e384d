import { expect } from 'vitest'
import { HttpFailure, UnauthorizedError, type HttpFailureFields } from '../../../../src/core'

/** Asserts an UnauthorizedError whose message matches `message`, caused by HttpFailure `cause`. */
export function expectUnauthorizedError(error: unknown, message: RegExp, cause: HttpFailureFields) {
  expect(error).toBeInstanceOf(UnauthorizedError)
  expect((error as UnauthorizedError).message).toMatch(message)
  expect((error as UnauthorizedError).cause).toBeInstanceOf(HttpFailure)
  expect((error as UnauthorizedError).cause).toMatchObject(cause)
}
