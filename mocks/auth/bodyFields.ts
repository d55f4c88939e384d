import type { FieldError } from '../httpErrors'

/** A JSON body's field that must be a string when present; a wrong type is noted in `errors`. */
export function optionalString(
  body: Record<string, unknown>,
  field: string,
  errors: FieldError[],
): string | undefined {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') {
    errors.push({ field, message: 'must be a string' })
    return undefined
  }
  return value
}
