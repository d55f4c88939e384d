import { afterEach, describe, expect, it, vi } from 'vitest'
import { configureMock, getMockState, runScenario } from '../../../mocks/control'
import { db, setMockClock, setMockStorage } from '../../../mocks/db'
import { createLocalStorage } from '../../../mocks/storage'

/** One Web Storage area shared by several "tabs", as localStorage is within an origin. */
function sharedArea(): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  }
}

describe('state in localStorage', () => {
  const restores: Array<() => void> = []
  afterEach(() => restores.splice(0).forEach((restore) => restore()))

  it('is seen by another tab and survives a reload (a fresh reader)', async () => {
    const area = sharedArea()
    restores.push(setMockStorage(createLocalStorage('trk-mock-db', area)))
    await db.reset()
    await configureMock({ access_ttl_seconds: 10 })

    const otherTab = createLocalStorage('trk-mock-db', area)
    expect(otherTab.load()?.config.access_ttl_seconds).toBe(10)
    expect(JSON.parse(area.getItem('trk-mock-db')!).users[0].password.hash).toBeTypeOf('string')
    expect(area.getItem('trk-mock-db')).not.toContain('admin123')
  })

  it('picks up a change another tab made between two requests', async () => {
    const area = sharedArea()
    restores.push(setMockStorage(createLocalStorage('trk-mock-db', area)))
    await db.reset()
    const otherTab = createLocalStorage('trk-mock-db', area)
    const state = otherTab.load()!
    state.counters.reuse_detected = 3
    otherTab.save(state)
    expect((await getMockState()).counters.reuse_detected).toBe(3)
  })

  it('reseeds when the stored state is corrupt', async () => {
    const area = sharedArea()
    area.setItem('trk-mock-db', '{not json')
    restores.push(setMockStorage(createLocalStorage('trk-mock-db', area)))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    restores.push(() => warn.mockRestore())
    const state = await getMockState()
    expect(warn).toHaveBeenCalledWith(
      '[token-refresh-kit mocks] localStorage "trk-mock-db" is not valid JSON; reseeding',
    )
    expect(state.config.access_ttl_seconds).toBe(300)
    expect(JSON.parse(area.getItem('trk-mock-db')!).users).toHaveLength(2)
  })

  it('reads time from the injected clock plus the scenario offset', async () => {
    restores.push(setMockStorage(createLocalStorage('trk-mock-db', sharedArea())))
    restores.push(setMockClock(() => Date.UTC(2030, 0, 1)))
    await db.reset()
    expect((await getMockState()).now).toBe('2030-01-01T00:00:00.000Z')
    const moved = await runScenario({ advance_clock_seconds: 90 })
    expect(moved.now).toBe('2030-01-01T00:01:30.000Z')
  })
})
