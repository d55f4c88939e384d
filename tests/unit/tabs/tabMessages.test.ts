import { describe, expect, it, vi } from 'vitest'
import { flush, setupTestServer } from '../core/support/harness'
import { tokenFor } from '../core/support/jwt'
import { createTabAndPoster } from './support/createTabAndPoster'

setupTestServer()

/** A record of a token issued `ageMs` ago that lives 300 s. */
const recordIssued = (ageMs: number) => {
  const issuedAt = Date.now() - ageMs
  return {
    accessToken: tokenFor(issuedAt),
    refreshToken: `r-${ageMs}`,
    expiresAt: issuedAt + 300_000,
    lifetimeMs: 300_000,
  }
}

describe('a tab receiving another tab’s messages', () => {
  it('stays anonymous when nobody is signed in and another tab signs out or ends', async () => {
    const { session, poster, events, close } = createTabAndPoster()

    poster.postMessage({ type: 'logout' })
    poster.postMessage({ type: 'ended' })
    await flush()

    expect(session.getState()).toMatchObject({ status: 'anonymous', endReason: null })
    expect(events).toEqual([])
    close()
  })

  it('takes another tab’s refreshed tokens as a sign-in when it holds no session', async () => {
    const { session, poster, events, close } = createTabAndPoster()
    const record = recordIssued(0)

    poster.postMessage({ type: 'tokens', record, signIn: false })
    await flush()

    expect(session.getState()).toMatchObject({
      status: 'authenticated',
      accessToken: record.accessToken,
      refreshCount: 0,
    })
    expect(events.map((event) => event.type)).toEqual(['signed-in'])
    close()
  })

  it('keeps its token when a late refresh message carries one that expires no later', async () => {
    const { session, poster, events, close } = createTabAndPoster()
    const held = recordIssued(0)
    poster.postMessage({ type: 'tokens', record: held, signIn: true })
    await flush()
    events.length = 0

    poster.postMessage({ type: 'tokens', record: recordIssued(60_000), signIn: false })
    poster.postMessage({
      type: 'tokens',
      record: { ...recordIssued(0), expiresAt: held.expiresAt },
      signIn: false,
    })
    await flush()

    expect(session.getState().accessToken).toBe(held.accessToken)
    expect(events).toEqual([])
    close()
  })

  it('takes another tab’s sign-in even when its token expires sooner than the one held', async () => {
    const { session, poster, events, close } = createTabAndPoster()
    poster.postMessage({ type: 'tokens', record: recordIssued(0), signIn: true })
    await flush()
    // Someone else signed in there a minute ago, on a token issued then.
    const other = {
      ...recordIssued(60_000),
      accessToken: tokenFor(Date.now() - 60_000, 300, 'user-2'),
    }

    poster.postMessage({ type: 'tokens', record: other, signIn: true })
    await flush()

    expect(session.getState()).toMatchObject({
      accessToken: other.accessToken,
      user: { sub: 'user-2' },
    })
    expect(events.map((event) => event.type)).toEqual(['signed-in', 'signed-in'])
    close()
  })

  it('keeps the user its token gave it when another tab sends that same token again', async () => {
    const { session, poster, close } = createTabAndPoster()
    const record = recordIssued(0)
    poster.postMessage({ type: 'tokens', record, signIn: true })
    await flush()
    const { user } = session.getState()
    expect(user).toMatchObject({ sub: 'user-1' })

    poster.postMessage({ type: 'tokens', record, signIn: false })
    await flush()

    expect(session.getState().user).toBe(user)
    close()
  })

  it('takes a refresh message whose token expires later', async () => {
    const { session, poster, events, close } = createTabAndPoster()
    poster.postMessage({ type: 'tokens', record: recordIssued(60_000), signIn: true })
    await flush()
    const newer = recordIssued(0)

    poster.postMessage({ type: 'tokens', record: newer, signIn: false })
    await flush()

    expect(session.getState()).toMatchObject({ accessToken: newer.accessToken, refreshCount: 1 })
    expect(events.map((event) => event.type)).toEqual(['signed-in', 'refreshed'])
    close()
  })
})

describe('a destroyed tab', () => {
  it('no longer follows the other tabs, and leaves open the channel it was given', async () => {
    const { session, poster, openChannel, openTab, close } = createTabAndPoster()
    const channel = openChannel()
    const closeChannel = vi.spyOn(channel, 'close')
    const gone = openTab(channel)

    gone.destroy()
    poster.postMessage({ type: 'tokens', record: recordIssued(0), signIn: true })
    await flush()

    expect(session.getState().status).toBe('authenticated')
    expect(gone.getState().status).toBe('anonymous')
    expect(closeChannel).not.toHaveBeenCalled()
    channel.close()
    close()
  })
})
