import type { AuthState, PasswordHash } from './authModel'
import { pruneAuthState } from './authState'
import type { StateStorage } from './stateStorage'

export interface StateStoreOptions<S extends AuthState> {
  /** Hashes the seeded users' passwords (slow: PBKDF2); run once, on first use. */
  hashPasswords: () => Promise<PasswordHash[]>
  /** The state a first use or a reset starts from. */
  initial: (hashes: PasswordHash[], now: number) => S
  /** Read on every access, so the repo's mocks can swap it (IndexedDB in the browser). */
  storage: () => StateStorage<S>
  clock: () => number
}

/**
 * The one entry to an instance's state, synchronous so handlers read and mutate it between their
 * awaits. Every request runs inside `transaction` (the instance's routes see to it): over
 * IndexedDB that is one cross-tab transaction, so reads are fresh and no write is lost.
 */
export interface StateStore<S extends AuthState = AuthState> {
  /** Seeds the password hashes once; the state itself is made on first use. */
  ready(): Promise<void>
  /** Runs one request's handling as a unit over the state. Never nest it: it would deadlock. */
  transaction<T>(work: () => Promise<T>): Promise<T>
  read(): S
  update<T>(mutate: (state: S, now: number) => T): T
  /** The mock's time: the real (or injected) clock plus the scenario's offset. */
  now(): number
  /** A fresh state: seeded users, no sessions, default config. */
  reset(): Promise<void>
}

export function createStateStore<S extends AuthState>(
  options: StateStoreOptions<S>,
): StateStore<S> {
  const { storage, clock, initial } = options
  let hashes: PasswordHash[] | null = null
  let seeding: Promise<PasswordHash[]> | null = null

  const seed = () => {
    seeding ??= options.hashPasswords().then((done) => (hashes = done))
    return seeding
  }

  function loadOrCreate(): S {
    const existing = storage().load()
    if (existing) return existing
    if (!hashes) {
      throw new Error(
        '[token-refresh-kit mocks] the mock database was read before it was seeded: await db.ready() first',
      )
    }
    const state = initial(hashes, clock())
    storage().save(state)
    return state
  }

  const store: StateStore<S> = {
    async ready() {
      if (!hashes) await seed()
    },
    async transaction(work) {
      await store.ready()
      return storage().transaction(work)
    },
    read: loadOrCreate,
    update(mutate) {
      const state = loadOrCreate()
      const now = clock() + state.clock_offset_ms
      const result = mutate(state, now)
      pruneAuthState(state, now)
      storage().save(state)
      return result
    },
    now: () => clock() + loadOrCreate().clock_offset_ms,
    async reset() {
      storage().save(initial(hashes ?? (await seed()), clock()))
    },
  }
  return store
}
