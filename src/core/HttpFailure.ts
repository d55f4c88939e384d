import { joinURL } from './joinURL'

// Anything shaped like a JWT, or a long opaque run such as a refresh token, in a server's text.
const SECRET_LIKE = /eyJ[\w-]*\.[\w-]*\.[\w-]*|[\w~+/=-]{24,}/g
const MAX_DETAIL = 200

type Loose = Record<string, unknown> | null | undefined

const record = (value: unknown): Loose =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined

const validStatus = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599
    ? value
    : undefined

/**
 * The HTTP status carried by anything a refresh call may throw: an AxiosError
 * (`response.status`), a fetch/ky/ofetch error (`status`, `statusCode` or `response.status`), a
 * `Response`, or a plain `{ status }`. Undefined when there is none (a network error, a bug).
 */
export function httpStatusOf(error: unknown): number | undefined {
  const value = record(error)
  if (!value) return undefined
  return (
    validStatus(record(value.response)?.status) ??
    validStatus(value.status) ??
    validStatus(value.statusCode)
  )
}

const scrubText = (text: string) => {
  const scrubbed = text.replace(SECRET_LIKE, '[redacted]')
  return scrubbed.length > MAX_DETAIL ? `${scrubbed.slice(0, MAX_DETAIL)}…` : scrubbed
}

/** The server's own words, from the common error bodies: `{detail}`, OAuth's `{error_description}`, `{message}`. */
function detailOf(data: unknown): string | undefined {
  const body = record(data)
  if (typeof data === 'string') return data.trim() ? scrubText(data.trim()) : undefined
  if (!body) return undefined
  for (const key of ['detail', 'error_description', 'message', 'error']) {
    const value = body[key]
    if (typeof value === 'string' && value) return scrubText(value)
  }
  return undefined
}

// axios joins `baseURL` and `url` (`/v1` + `/refresh` is `/v1/refresh`); URL resolution would drop `/v1`.
function pathOf(url: unknown, baseURL: unknown): string | undefined {
  if (typeof url !== 'string') return undefined
  const full = typeof baseURL === 'string' ? joinURL(baseURL, url) : url
  try {
    return new URL(full, 'http://x').pathname
  } catch {
    return full.split(/[?#]/)[0]
  }
}

export interface HttpFailureFields {
  method?: string | undefined
  path?: string | undefined
  status?: number | undefined
  detail?: string | undefined
}

/**
 * What the kit keeps of a failed HTTP call, in place of the original error: method, path (never
 * the query), status and the server's `detail`, scrubbed. Never a config, request or response,
 * whose headers and body hold tokens; safe to hand to an error tracker.
 */
export class HttpFailure extends Error {
  override name = 'HttpFailure' as const
  readonly method: string | undefined
  readonly path: string | undefined
  readonly status: number | undefined
  readonly detail: string | undefined

  constructor(fields: HttpFailureFields, message?: string) {
    const { method, path, status, detail } = fields
    const what = [method, path].filter(Boolean).join(' ') || 'HTTP call'
    super(
      message ??
        `${what} ${status === undefined ? 'failed without an answer' : `answered ${status}`}${detail ? `: ${detail}` : ''}`,
    )
    this.method = method
    this.path = path
    this.status = status
    this.detail = detail
  }

  toJSON(): HttpFailureFields & { name: string; message: string } {
    const { name, message, method, path, status, detail } = this
    return { name, message, method, path, status, detail }
  }
}

/**
 * Scrubs anything thrown by an HTTP client (axios, fetch, ky, ofetch, a custom refresh function)
 * into an `HttpFailure`. The original error, which may hold tokens in its config, headers or body,
 * is not kept; its message is kept only when it carries no secret-shaped text.
 */
export function toHttpFailure(error: unknown): HttpFailure {
  if (error instanceof HttpFailure) return error
  const value = record(error)
  const config = record(value?.config)
  const request = record(value?.request)
  const response = record(value?.response)
  const method =
    typeof config?.method === 'string'
      ? config.method.toUpperCase()
      : typeof request?.method === 'string'
        ? request.method.toUpperCase()
        : undefined
  const path =
    pathOf(config?.url, config?.baseURL) ??
    pathOf(request?.url, undefined) ??
    pathOf(response?.url, undefined) ??
    pathOf(value?.url, undefined)
  const status = httpStatusOf(error)
  const detail =
    detailOf(response?.data) ??
    detailOf(value?.data) ??
    (typeof value?.message === 'string' && value.message ? scrubText(value.message) : undefined)
  return new HttpFailure({ method, path, status, detail })
}
