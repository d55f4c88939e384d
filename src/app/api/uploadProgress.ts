/**
 * Where an upload stands, as the user sees it: bytes going out (`fraction` is `null` while the
 * browser reports none, as it never does for a service worker's mocks), then the server working.
 */
export type UploadProgress = { phase: 'sending'; fraction: number | null } | { phase: 'processing' }

export const UPLOAD_STARTED: UploadProgress = { phase: 'sending', fraction: null }

/**
 * The progress after the browser reports `loaded` of `total` bytes sent. A retried request (after
 * a 401) sends the body again from its first byte, and the progress follows it back down.
 */
export function uploadProgress(loaded: number, total: number | undefined): UploadProgress {
  if (!total || total <= 0) return UPLOAD_STARTED
  if (loaded >= total) return { phase: 'processing' }
  return { phase: 'sending', fraction: loaded > 0 ? loaded / total : null }
}
