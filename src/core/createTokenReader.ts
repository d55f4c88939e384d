import { decodeAccessToken, type DecodedAccessToken } from './decodeAccessToken'
import { readUser } from './readUser'
import type { SessionConfig } from './resolveSessionOptions'
import type { AccessTokenClaims, SessionRecord, TokenPair } from './types'

/** What a token answer becomes: the record the session keeps, and its access token's claims. */
export interface ReadAnswer {
  record: SessionRecord
  claims: AccessTokenClaims
}

/** Turns token answers into session records, and records back into tokens and users. */
export function createTokenReader({
  now,
  userSource,
  keepsUser,
  keepsRefreshToken,
}: Pick<SessionConfig, 'now' | 'userSource' | 'keepsUser' | 'keepsRefreshToken'>) {
  /** A record, carrying the user where the access token cannot give it again. */
  const withUser = (record: SessionRecord, user: AccessTokenClaims | null): SessionRecord => {
    const { user: _dropped, ...tokens } = record
    return keepsUser && user ? { ...tokens, user } : tokens
  }

  /**
   * How long a token had lived when this tab read it: `iat` says when the server issued it, on
   * the server's clock; the answer read soonest after its issue tells how that clock relates to
   * ours. A tab that reads an answer seconds after it came (a throttled tab, a slow phone) would
   * otherwise count the token's life from then and send it after the server has let it expire.
   * Never before the call was sent nor after now, so a clock that jumps costs at most that span.
   */
  let soonestOffsetMs: number | null = null
  const agedInFlight = (claims: AccessTokenClaims, sentAt: number, seenAt: number) => {
    const { iat } = claims
    if (typeof iat !== 'number' || !Number.isFinite(iat)) return 0
    const offset = iat * 1000 - seenAt
    soonestOffsetMs = soonestOffsetMs === null ? offset : Math.max(soonestOffsetMs, offset)
    const issuedAt = Math.min(seenAt, Math.max(sentAt, iat * 1000 - soonestOffsetMs))
    return seenAt - issuedAt
  }

  const read = (
    pair: TokenPair,
    current: string | null,
    previousUser: AccessTokenClaims | null,
    signIn: boolean,
    sentAt: number | null,
  ): ReadAnswer => {
    const seenAt = now()
    const decoded = decodeAccessToken(pair?.accessToken, pair?.expiresIn, seenAt)
    const user = readUser(
      userSource,
      { claims: decoded.claims, opaque: decoded.opaque, idToken: pair.idToken },
      previousUser,
      signIn,
    )
    const record = withUser(
      {
        accessToken: pair.accessToken,
        refreshToken: !keepsRefreshToken
          ? null
          : pair.refreshToken === undefined
            ? current
            : pair.refreshToken,
        expiresAt: decoded.expiresAt - agedInFlight(decoded.claims, sentAt ?? seenAt, seenAt),
        lifetimeMs: decoded.lifetimeMs,
        ...(decoded.opaque && { opaque: true }),
      },
      user,
    )
    return { record, claims: decoded.claims }
  }

  return {
    withUser,

    /** Reads a login's answer. Throws `InvalidTokenError` for a token that cannot be decoded. */
    readSignIn: (pair: TokenPair) => read(pair, null, null, true, null),

    /**
     * Reads a refresh answer, whose call was sent at `sentAt`: without a refresh token it keeps
     * `sent`, without a user it keeps `previousUser`.
     */
    readRefresh: (
      pair: TokenPair,
      sent: string | null,
      previousUser: AccessTokenClaims | null,
      sentAt: number,
    ) => read(pair, sent, previousUser, false, sentAt),

    /** The record's token decoded; null if unreadable, or opaque where the record does not say so. */
    decode(record: SessionRecord): DecodedAccessToken | null {
      try {
        const decoded = decodeAccessToken(record.accessToken, record.lifetimeMs / 1000, now())
        return decoded.opaque && !record.opaque ? null : decoded
      } catch {
        return null
      }
    },

    /** The user of a record: its access token's claims, or the user stored with it. */
    userOf(
      record: SessionRecord,
      decoded: DecodedAccessToken | null,
      previous: AccessTokenClaims | null,
    ): AccessTokenClaims | null {
      if (!keepsUser) return decoded && !decoded.opaque ? decoded.claims : null
      return record.user ?? previous
    },
  }
}

export type TokenReader = ReturnType<typeof createTokenReader>
