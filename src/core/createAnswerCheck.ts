import type { ReadAnswer } from './createTokenReader'
import { inSeconds } from './inSeconds'
import type { AccessTokenClaims } from './types'

/**
 * Tells why a refresh answer's access token cannot be used: the very one it was meant to
 * replace, one the server answered 401 to, or one already expired by the server's clock.
 */
export function createAnswerCheck(now: () => number) {
  let refused: string | null = null
  // The server's clock minus ours, read from the last token's `iat`.
  let serverOffsetMs: number | null = null
  return {
    /** A 401 answered to `token`: an answer that hands it back is unusable. */
    refuse(token: string) {
      refused = token
    },
    /** A token obtained here (not from another tab): its `iat` tells the server's clock. */
    learn(claims: AccessTokenClaims | undefined, fromServer: boolean) {
      refused = null
      if (fromServer && typeof claims?.iat === 'number') serverOffsetMs = claims.iat * 1000 - now()
    },
    /** Why `answer` cannot replace `replaced`, or null. */
    why(answer: ReadAnswer, replaced: string | null): string | null {
      const token = answer.record.accessToken
      if (token === replaced || token === refused) {
        return 'it is the very token it was meant to replace. Make the refresh endpoint issue a new access token on every call.'
      }
      const { exp } = answer.claims
      if (serverOffsetMs === null || typeof exp !== 'number') return null
      const serverExpiry = exp * 1000 - serverOffsetMs
      if (serverExpiry > now()) return null
      return `it expired ${inSeconds(now() - serverExpiry)} ago by the server's clock (read from its earlier tokens' \`iat\`). Check that the refresh endpoint issues fresh tokens.`
    },
  }
}

export type AnswerCheck = ReturnType<typeof createAnswerCheck>
