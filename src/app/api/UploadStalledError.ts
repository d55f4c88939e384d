/** An upload abandoned because nothing was sent or received for too long. */
export class UploadStalledError extends Error {
  override name = 'UploadStalledError' as const

  constructor(seconds: number) {
    super(
      `nothing was sent or received for ${seconds} s, so the upload was stopped. Check your connection and submit the job again.`,
    )
  }
}
