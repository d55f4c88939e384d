import { inSeconds } from './inSeconds'
import type { ReadAnswer } from './createTokenReader'

/**
 * Why a refresh answer's access token cannot be used, or null: the very one it was meant to
 * replace, one the server refused, or one already expired by the server's clock (the server's
 * clock minus ours, `serverOffsetMs`, read from the last token's `iat`).
 */
export function unusableAnswer(
  answer: ReadAnswer,
  refused: (string | null)[],
  serverOffsetMs: number | null,
  now: number,
): string | null {
  if (refused.includes(answer.record.accessToken)) {
    return 'it is the very token it was meant to replace. Make the refresh endpoint issue a new access token on every call.'
  }
  const { exp } = answer.claims
  const serverExpiry =
    serverOffsetMs === null || typeof exp !== 'number' ? null : exp * 1000 - serverOffsetMs
  if (serverExpiry !== null && serverExpiry <= now) {
    return `it expired ${inSeconds(now - serverExpiry)} ago by the server's clock (read from its earlier tokens' \`iat\`). Check that the refresh endpoint issues fresh tokens.`
  }
  return null
}
