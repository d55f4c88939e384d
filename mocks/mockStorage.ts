import type { StateStorage } from './auth/stateStorage'
import type { MockState } from './model'

export { createMemoryStateStorage, MockStorageBusyError } from './auth/stateStorage'

/** Where the mocks' state lives: memory in Node, IndexedDB in the browser. */
export type MockStorage = StateStorage<MockState>
