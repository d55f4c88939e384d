import type { FieldError } from '../httpErrors'

/** A control call with a bad argument; `errors` names each field and what is wrong with it. */
export class MockControlError extends Error {
  override name = 'MockControlError' as const
  readonly errors: FieldError[]
  constructor(operation: string, errors: FieldError[]) {
    super(
      `[token-refresh-kit mocks] ${operation}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    )
    this.errors = errors
  }
}
