/** What a failed fetch answer reads as, in the shape `toHttpFailure` and `classifyRefreshFailure` read. */
export interface ErrorResponseShape {
  config: { method: string; url: string }
  response: { status: number; headers: Headers; data: unknown }
}

/**
 * Reads a failed answer's body (JSON when it parses, else text) for the server's `detail`. Only the
 * answer is read, never the request, whose headers and body hold tokens.
 */
export async function readErrorResponse(
  response: Response,
  request: { method: string; url: string },
): Promise<ErrorResponseShape> {
  let data: unknown
  try {
    const text = await response.text()
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  } catch {
    data = undefined
  }
  const { status, headers } = response
  return { config: request, response: { status, headers, data } }
}
