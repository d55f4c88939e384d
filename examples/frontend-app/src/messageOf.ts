/** What to show of a failure: the kit's errors and ky's and axios's never carry a token. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
