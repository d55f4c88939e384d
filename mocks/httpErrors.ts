import { HttpResponse } from 'msw'

export interface FieldError {
  field: string
  message: string
}

/** Thrown by handlers and body readers; the route wrapper turns it into `{detail}`. */
export class HttpError extends Error {
  override name = 'HttpError' as const
  readonly status: number
  readonly headers: Record<string, string>
  readonly extra: Record<string, unknown>

  constructor(
    status: number,
    detail: string,
    options: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(detail)
    this.status = status
    this.headers = options.headers ?? {}
    this.extra = options.extra ?? {}
  }

  toResponse(): Response {
    return jsonError(this.status, this.message, this.headers, this.extra)
  }
}

export function jsonError(
  status: number,
  detail: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Response {
  return HttpResponse.json({ detail, ...extra }, { status, headers })
}

/** 422 with a readable `detail` and one entry per field in `errors`. */
export function validationError(errors: FieldError[]): HttpError {
  const summary = errors.map((e) => `${e.field}: ${e.message}`).join('; ')
  return new HttpError(422, `Validation failed: ${summary}`, { extra: { errors } })
}

export const MAX_JSON_BYTES = 64 * 1024

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/** `application/json`, with parameters or as a `+json` suffix. */
export function isJsonContentType(type: string): boolean {
  return JSON_TYPE.test(type)
}

/**
 * Reads a JSON object body. An empty body reads as `{}` (field checks then answer 422); any
 * other body must be declared JSON (415), parse (400) and be an object (422).
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length') ?? '0')
  if (declared > MAX_JSON_BYTES) {
    throw new HttpError(413, `Request body too large: ${declared} bytes (limit ${MAX_JSON_BYTES})`)
  }
  const text = await request.text()
  if (text.length > MAX_JSON_BYTES) {
    throw new HttpError(
      413,
      `Request body too large: ${text.length} bytes (limit ${MAX_JSON_BYTES})`,
    )
  }
  if (text.trim() === '') return {}
  const type = request.headers.get('content-type') ?? ''
  if (!isJsonContentType(type)) {
    throw new HttpError(
      415,
      `Unsupported content type "${type || '(none)'}": send JSON with Content-Type: application/json`,
    )
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new HttpError(400, 'Malformed JSON body')
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw validationError([{ field: 'body', message: 'must be a JSON object' }])
  }
  return body as Record<string, unknown>
}
