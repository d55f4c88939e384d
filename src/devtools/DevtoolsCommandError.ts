export type DevtoolsCommandErrorCode = 'MOCK_CONTROLS_MISSING' | 'NOT_SIGNED_IN'

/** A devtools command the page cannot carry out; the message says why and what to do. */
export class DevtoolsCommandError extends Error {
  override name = 'DevtoolsCommandError' as const
  readonly code: DevtoolsCommandErrorCode

  constructor(code: DevtoolsCommandErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
