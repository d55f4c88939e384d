import { isAxiosError } from 'axios'
import { isAuthKitError } from 'token-refresh-kit'

export interface ApiErrorInfo {
  status: number | null
  /** A sentence for the user: what failed and what to do. */
  message: string
  /** Seconds to wait before trying again (a 429's `Retry-After`). */
  retryAfterSeconds: number | null
  /** The server's field errors of a 422, by field name, when it sent them. */
  fields: Record<string, string>
  /** The request was held for re-sign-in and dropped because another user signed in. */
  userChanged: boolean
}

function detailOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null
  const detail = (data as { detail?: unknown }).detail
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail)) {
    const messages = detail
      .map((d) => (typeof d === 'object' && d && 'msg' in d ? String(d.msg) : String(d)))
      .filter(Boolean)
    return messages.join('; ') || null
  }
  return null
}

function fieldsOf(data: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  if (typeof data !== 'object' || data === null) return fields
  const { errors, detail } = data as { errors?: unknown; detail?: unknown }
  if (Array.isArray(errors)) {
    for (const e of errors) {
      const { field, message } = (e ?? {}) as { field?: unknown; message?: unknown }
      if (typeof field === 'string' && message)
        fields[field] = `${field.replaceAll('_', ' ')} ${String(message)}`
    }
  } else if (errors && typeof errors === 'object') {
    for (const [key, value] of Object.entries(errors)) fields[key] = String(value)
  }
  if (Array.isArray(detail)) {
    for (const d of detail) {
      if (typeof d !== 'object' || d === null) continue
      const { loc, field, msg } = d as { loc?: unknown; field?: unknown; msg?: unknown }
      const name = typeof field === 'string' ? field : Array.isArray(loc) ? loc.at(-1) : null
      if (typeof name === 'string' && msg) fields[name] = String(msg)
    }
  }
  return fields
}

/** Turns whatever a request threw into words for the user. */
export function readApiError(error: unknown, action = 'The request'): ApiErrorInfo {
  const info: ApiErrorInfo = {
    status: null,
    message: `${action} failed.`,
    retryAfterSeconds: null,
    fields: {},
    userChanged: false,
  }
  if (isAuthKitError(error)) {
    info.userChanged = error.code === 'USER_CHANGED'
    info.message = info.userChanged
      ? `${action} was not sent: another user signed in before it could be replayed.`
      : `${action} failed: ${error.message}`
    return info
  }
  if (!isAxiosError(error)) {
    if (error instanceof Error) info.message = `${action} failed: ${error.message}`
    return info
  }
  const response = error.response
  if (!response) {
    info.message = `${action} failed: the server could not be reached. Check your connection and try again.`
    return info
  }
  info.status = response.status
  info.fields = fieldsOf(response.data)
  const detail = detailOf(response.data)
  if (response.status === 429) {
    const header = Number(response.headers['retry-after'])
    info.retryAfterSeconds = Number.isFinite(header) && header > 0 ? Math.ceil(header) : null
  }
  if (response.status === 403) {
    info.message = `${action} was refused: ${detail ?? 'you do not have the permission it needs'}.`
  } else if (response.status === 413) {
    info.message = `${action} failed: the file is too large. ${detail ?? ''}`.trim()
  } else if (response.status >= 500) {
    info.message = `${action} failed: the server had a problem (${response.status}). Try again in a moment.`
  } else {
    info.message = `${action} failed: ${detail ?? `the server answered ${response.status}`}.`
  }
  return info
}
