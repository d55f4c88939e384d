import { IDBFactory } from 'fake-indexeddb'
import type { BroadcastChannelLike, LockManagerLike, TokenStorage } from '../../../../src/core'

const aborted = () => new DOMException('The request was aborted.', 'AbortError')

/** A LockManager with the Web Locks semantics the kit relies on: FIFO per name, abortable waits. */
export function createFakeLocks() {
  const queues = new Map<string, (() => void)[]>()
  const held = new Set<string>()
  const next = (name: string) => queues.get(name)?.shift()?.()
  const locks: LockManagerLike & { granted: number } = {
    granted: 0,
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        if (options.signal?.aborted) return reject(aborted())
        const grant = () => {
          locks.granted++
          held.add(name)
          Promise.resolve()
            .then(() => callback({ name }))
            .then(resolve, reject)
            .finally(() => {
              held.delete(name)
              next(name)
            })
        }
        const queue = queues.get(name) ?? []
        queues.set(name, queue)
        if (!held.has(name) && queue.length === 0) return grant()
        queue.push(grant)
        options.signal?.addEventListener('abort', () => {
          const index = queue.indexOf(grant)
          if (index < 0) return
          queue.splice(index, 1)
          reject(aborted())
        })
      })
    },
  }
  return locks
}

type Listener = (event: { data: unknown }) => void

/** BroadcastChannels that reach the other members of the same name, a task later, never the sender. */
export function createFakeBroadcastHub() {
  const members = new Set<FakeChannel>()
  const posts: { from: FakeChannel; type: string }[] = []
  class FakeChannel implements BroadcastChannelLike {
    readonly name: string
    #listeners = new Set<Listener>()
    constructor(name: string) {
      this.name = name
      members.add(this)
    }
    postMessage(message: unknown) {
      posts.push({ from: this, type: String((message as { type?: unknown } | null)?.type) })
      const data = structuredClone(message)
      for (const member of members) {
        if (member === this || member.name !== this.name) continue
        setImmediate(() => member.#listeners.forEach((listener) => listener({ data })))
      }
    }
    addEventListener(_type: 'message', listener: Listener) {
      this.#listeners.add(listener)
    }
    removeEventListener(_type: 'message', listener: Listener) {
      this.#listeners.delete(listener)
    }
    close() {
      members.delete(this)
    }
  }
  return { FakeChannel, posts }
}

/**
 * localStorage as Chromium shares it between tabs: each tab's view sees its own writes at once
 * and the other tabs' writes only `lagMs` later, whatever locks were held meanwhile.
 */
export function createLaggingDisk(lagMs: number) {
  const views: Map<string, string>[] = []
  const apply = (from: Map<string, string>, change: (items: Map<string, string>) => void) => {
    change(from)
    for (const view of views) {
      if (view !== from) setTimeout(() => change(view), lagMs)
    }
  }
  return {
    view(): TokenStorage {
      const items = new Map<string, string>()
      views.push(items)
      return {
        sharedAcrossTabs: true,
        getItem: (key) => items.get(key) ?? null,
        setItem: (key, value) => apply(items, (view) => view.set(key, value)),
        removeItem: (key) => apply(items, (view) => view.delete(key)),
      }
    },
  }
}

/** An IndexedDB that lists every connection it opened. */
export const countingIndexedDb = () => {
  const indexedDB = new IDBFactory()
  const connections: IDBDatabase[] = []
  const open = indexedDB.open.bind(indexedDB)
  indexedDB.open = (name: string, version?: number) => {
    const request = open(name, version)
    request.addEventListener('success', () => connections.push(request.result))
    return request
  }
  return { indexedDB, connections }
}
