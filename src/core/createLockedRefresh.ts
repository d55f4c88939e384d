import type { AnswerCheck } from './createAnswerCheck'
import type { LoopBreaker } from './createLoopBreaker'
import type { RefreshHold } from './createRefreshHold'
import { callRefresh } from './callRefresh'
import { InvalidRefreshResponseError } from './errors'
import { isFresh } from './refreshMargin'
import { sessionEndedError } from './sessionEndedError'
import { loadRecord, newestRecord, readRecord, saveRecord, writeRecord } from './sessionRecord'
import type { SessionHost } from './SessionHost'
import type { RefreshReason, TokenPair } from './types'

/** One refresh attempt; the lock fills in the refresh token it sent, for the failure handling. */
export interface RefreshAttempt {
  reason: RefreshReason
  /** The session's epoch when it began: a sign-in or sign-out since discards its answer. */
  startedIn: number
  /** The access token it is meant to replace. */
  stale: string | null
  sentRefreshToken: string | null
}

type Host = Pick<SessionHost, 'config' | 'store' | 'reader' | 'epoch' | 'own' | 'peek' | 'adopt'>

/**
 * The refresh under the tabs' lock: re-reads what the last holder committed, and calls the server
 * only if no tab has refreshed meanwhile, so that a rotated refresh token is never sent twice.
 */
export function createLockedRefresh(
  host: Host,
  parts: { hold: RefreshHold; breaker: LoopBreaker; answers: AnswerCheck },
) {
  const { config, store, reader } = host
  const { now, key, storage, tabStore, noteStore, maxRefreshCallMs, lockTimeoutMs } = config
  const { hold, breaker, answers } = parts
  // Until when this tab's refresh call may still be answered (no secret: a time), so that tabs
  // waiting for the lock wait for it instead of taking its holder for frozen.
  const busyKey = `${key}:refresh-call-until`
  const busyForMs = async () => {
    const until = Number((await noteStore?.get(busyKey)) ?? 0)
    return Number.isFinite(until) ? Math.min(maxRefreshCallMs, until - now()) : 0
  }
  const superseded = () => {
    const token = host.peek()
    if (token) return token
    throw sessionEndedError(store.getState())
  }

  /** Keeps a refresh token rotated in an unusable answer, so that the retry does not present the spent one. */
  const refuseAnswer = async (
    pair: TokenPair,
    sent: string | null,
    why: string,
    cause?: unknown,
  ) => {
    const rotated = pair?.refreshToken
    if (config.keepsRefreshToken && typeof rotated === 'string' && rotated && rotated !== sent) {
      store.setState({ refreshToken: rotated })
      const current = host.own()
      if (current) {
        writeRecord(storage, key, current)
        await saveRecord(tabStore, key, current)
      }
    }
    return new InvalidRefreshResponseError(
      `The refresh answered with an access token that cannot be used: ${why}`,
      { cause },
    )
  }

  const holdingLock = async (attempt: RefreshAttempt): Promise<string> => {
    // Tab store: the last holder committed its record there before releasing the lock;
    // storage and this tab's state may still lag behind it, or lead it (no IndexedDB there).
    const committed = await loadRecord(tabStore, key)
    if (host.epoch() !== attempt.startedIn) return superseded()
    const local = readRecord(storage, key)
    const own = host.own()
    // Holding nothing (a cookie resume), the tab store's record counts only while storage holds
    // one too: alone, it is one a sign-out could not remove before its page unloaded (storage is
    // cleared at once, the tab store a moment later), and the cookie, not it, says who is signed in.
    const trusted = own || local ? committed : null
    // The committed record wins a tie: it was written inside the lock.
    const stored = newestRecord(trusted, local, own)
    if (stored && stored.accessToken !== attempt.stale && isFresh(stored, config.marginMs, now())) {
      if (stored.accessToken !== store.getState().accessToken) {
        host.adopt(stored, 'refresh', 'other-tab')
      }
      return stored.accessToken
    }
    await hold.throwIfHeldElsewhere()
    breaker.acquire(attempt.reason)
    const sent = (attempt.sentRefreshToken = stored?.refreshToken ?? store.getState().refreshToken)
    await noteStore?.set(busyKey, String(now() + maxRefreshCallMs))
    const sentAt = now()
    const accessToken = stored?.accessToken ?? attempt.stale
    const pair = await callRefresh(config.refreshFn, sent, accessToken, maxRefreshCallMs)
    if (host.epoch() !== attempt.startedIn) return superseded()
    let answer
    try {
      answer = reader.readRefresh(pair, sent, store.getState().user, sentAt)
    } catch (error) {
      throw await refuseAnswer(pair, sent, (error as Error).message, error)
    }
    const why = answers.why(answer, attempt.stale)
    if (why) throw await refuseAnswer(pair, sent, why)
    host.adopt(answer.record, 'refresh', 'network', pair.idToken ?? null)
    await saveRecord(tabStore, key, answer.record)
    return answer.record.accessToken
  }

  return (attempt: RefreshAttempt): Promise<string> =>
    config.coordinator.runExclusive(
      key,
      async () => {
        // The note tells tabs waiting for the lock that its holder is busy, not frozen, from the
        // moment it has the lock until what its call rotated is committed: a waiter that moved on
        // any earlier would send the refresh token this call has just spent.
        await noteStore?.set(busyKey, String(now() + lockTimeoutMs))
        try {
          return await holdingLock(attempt)
        } catch (error) {
          await hold.note(error)
          throw error
        } finally {
          await noteStore?.remove(busyKey)
        }
      },
      { timeoutMs: lockTimeoutMs, busyForMs },
    )
}
