import { describe, expect, it } from 'vitest'
import { HttpFailure } from '../../../src/core'
import { findSecrets } from './support/findSecrets'

const SECRET = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.c2ln'
const OTHER = 'r-refresh-0123456789'

describe('findSecrets', () => {
  it('finds a secret as a whole string or inside one, at its path', () => {
    const root = { a: { b: SECRET }, list: ['x', `Bearer ${OTHER}`], n: 1, none: null }

    expect(findSecrets(root, [SECRET, OTHER])).toEqual(['root.a.b', 'root.list[1]'])
  })

  it('returns nothing for a graph without the secrets', () => {
    const failure = new HttpFailure({ method: 'GET', path: '/x', status: 401, detail: 'nope' })

    expect(findSecrets({ failure, text: 'eyJ-but-not-it' }, [SECRET])).toEqual([])
  })

  it('reads non-enumerable and symbol-keyed properties, and property names', () => {
    const root = {}
    Object.defineProperty(root, 'hidden', { value: SECRET, enumerable: false })
    Object.defineProperty(root, Symbol('tag'), { value: { deep: SECRET }, enumerable: false })
    Object.assign(root, { [SECRET]: true })

    expect(findSecrets(root, [SECRET])).toEqual([
      `root<key "${SECRET}">`,
      'root.hidden',
      'root[Symbol(tag)].deep',
    ])
  })

  it('reads getters, own and inherited, and skips those that throw', () => {
    class Holder {
      get token() {
        return SECRET
      }
      get broken(): string {
        throw new Error('not for this receiver')
      }
    }
    const own = Object.defineProperty({}, 'token', { get: () => SECRET })

    expect(findSecrets({ holder: new Holder(), own }, [SECRET])).toEqual([
      'root.holder.token',
      'root.own.token',
    ])
  })

  it('follows cause chains, an AggregateError’s errors, and toJSON()', () => {
    const inner = new Error('wrapped', {
      cause: { config: { headers: { Authorization: SECRET } } },
    })
    const aggregate = new AggregateError([new Error('fine'), inner], 'many')
    const serialized = { toJSON: () => ({ leaked: `token=${OTHER}` }) }

    expect(findSecrets(new Error('top', { cause: aggregate }), [SECRET])).toEqual([
      'root.cause.errors[1].cause.config.headers.Authorization',
    ])
    expect(findSecrets(serialized, [OTHER])).toEqual(['root.toJSON().leaked'])
  })

  it('reads Maps (keys and values), Sets, Headers-like entries and bytes', () => {
    const root = {
      map: new Map<unknown, unknown>([
        [SECRET, 1],
        ['k', { v: SECRET }],
      ]),
      set: new Set(['a', SECRET]),
      headers: new Headers({ Authorization: `Bearer ${SECRET}` }),
      params: new URLSearchParams({ refresh_token: OTHER }),
      bytes: new TextEncoder().encode(`{"refresh_token":"${OTHER}"}`),
    }

    const paths = findSecrets(root, [SECRET, OTHER])

    // Node's Headers also caches its entries behind a symbol-keyed getter, found as well.
    expect(paths).toEqual(
      expect.arrayContaining([
        'root.map.keys()[0]',
        'root.map.get("k").v',
        'root.set.values()[1]',
        'root.headers.entries()[0][1]',
        'root.params.entries()[0][1]',
        'root.bytes<bytes>',
      ]),
    )
    expect(paths.filter((path) => !path.startsWith('root.headers'))).toHaveLength(5)
  })

  it('visits each object once, so a cycle ends and a shared leak is reported once', () => {
    const shared = { token: SECRET }
    const root: Record<string, unknown> = { first: shared, second: shared }
    root.self = root
    const error = new Error('loop')
    error.cause = error

    expect(findSecrets(root, [SECRET])).toEqual(['root.first.token'])
    expect(findSecrets(error, [SECRET])).toEqual([])
  })

  it('refuses an empty secret, which would match every string', () => {
    expect(() => findSecrets({}, [''])).toThrow(/non-empty secret strings/)
    expect(() => findSecrets({}, [])).toThrow(TypeError)
  })
})
