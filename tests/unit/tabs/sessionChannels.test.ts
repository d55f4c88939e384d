import { describe, expect, it } from 'vitest'
import {
  createBroadcastSessionChannel,
  createStorageEventChannel,
  type SessionMessage,
} from '../../../src/core'

type StorageListener = (event: StorageEvent) => void

/** One origin's localStorage, shared by windows that each get the storage events of the others' writes. */
function createOrigin() {
  const items = new Map<string, string>()
  const windows = new Set<Set<StorageListener>>()
  const open = () => {
    const listeners = new Set<StorageListener>()
    windows.add(listeners)
    const notify = (key: string, newValue: string | null) => {
      for (const other of windows) {
        if (other !== listeners)
          other.forEach((listener) => listener({ key, newValue } as StorageEvent))
      }
    }
    const storage = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => {
        items.set(key, value)
        notify(key, value)
      },
      removeItem: (key: string) => {
        items.delete(key)
        notify(key, null)
      },
    } as unknown as Storage
    const target = {
      addEventListener: (_type: string, listener: StorageListener) => listeners.add(listener),
      removeEventListener: (_type: string, listener: StorageListener) => listeners.delete(listener),
    } as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>
    return { storage, target }
  }
  return { items, open }
}

/** A storage-event channel for each key, each in a window of its own on one origin. */
function channelsInTwoWindows(firstKey: string, secondKey: string) {
  const origin = createOrigin()
  const open = (key: string) => {
    const { storage, target } = origin.open()
    return createStorageEventChannel(key, storage, target)
  }
  return { origin, first: open(firstKey), second: open(secondKey) }
}

describe('createStorageEventChannel', () => {
  it('delivers a post to the other windows, not to its sender, and leaves nothing stored', () => {
    const { origin, first: here, second: there } = channelsInTwoWindows('app', 'app')
    const received = { here: [] as SessionMessage[], there: [] as SessionMessage[] }
    here.subscribe((message) => received.here.push(message))
    there.subscribe((message) => received.there.push(message))

    here.post({ type: 'hello', from: 'tab-1' })

    expect(received).toEqual({ here: [], there: [{ type: 'hello', from: 'tab-1' }] })
    expect(origin.items.size).toBe(0)
  })

  it('ignores the messages of another session key on the same origin', () => {
    const { first: other, second: mine } = channelsInTwoWindows('other-app', 'app')
    const received: SessionMessage[] = []
    mine.subscribe((message) => received.push(message))

    other.post({ type: 'logout' })

    expect(received).toEqual([])
  })

  it('stops delivering once unsubscribed', () => {
    const { first: sender, second: receiver } = channelsInTwoWindows('app', 'app')
    const received: SessionMessage[] = []
    const unsubscribe = receiver.subscribe((message) => received.push(message))

    sender.post({ type: 'logout' })
    unsubscribe()
    sender.post({ type: 'ended' })

    expect(received).toEqual([{ type: 'logout' }])
  })
})

describe('createBroadcastSessionChannel', () => {
  it('closes a channel that has no close() without throwing', () => {
    const channel = {
      postMessage: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    }
    expect(() => createBroadcastSessionChannel(channel).close?.()).not.toThrow()
  })
})
