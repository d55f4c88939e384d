import { describe, expect, it } from 'vitest'
import { formatClock, formatDuration, formatTimeLeft } from '../../../src/core/formatTime'

describe('formatDuration', () => {
  it('says 0 s for nothing left, and for a span already past', () => {
    expect(formatDuration(0)).toBe('0 s')
    expect(formatDuration(-12)).toBe('0 s')
  })

  it('counts under a minute in seconds, rounding a started second up', () => {
    expect(formatDuration(0.2)).toBe('1 s')
    expect(formatDuration(45)).toBe('45 s')
    expect(formatDuration(59.4)).toBe('1 min 00 s')
  })

  it('gives minutes with two-digit seconds, then hours with two-digit minutes', () => {
    expect(formatDuration(60)).toBe('1 min 00 s')
    expect(formatDuration(245)).toBe('4 min 05 s')
    expect(formatDuration(3599)).toBe('59 min 59 s')
    expect(formatDuration(3600)).toBe('1 h 00 min')
    expect(formatDuration(7380)).toBe('2 h 03 min')
    expect(formatDuration(86_400)).toBe('24 h 00 min')
  })

  it('shows a dash, not NaN, for a span it cannot count', () => {
    expect(formatDuration(Number.NaN)).toBe('—')
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—')
  })
})

describe('formatTimeLeft', () => {
  it('reads 0:00 at expiry and after it, never a negative clock', () => {
    expect(formatTimeLeft(0)).toBe('0:00')
    expect(formatTimeLeft(-5)).toBe('0:00')
  })

  it('reads m:ss under an hour and h:mm:ss past it', () => {
    expect(formatTimeLeft(0.4)).toBe('0:01')
    expect(formatTimeLeft(59)).toBe('0:59')
    expect(formatTimeLeft(245)).toBe('4:05')
    expect(formatTimeLeft(3600)).toBe('1:00:00')
    expect(formatTimeLeft(3723)).toBe('1:02:03')
  })

  it('rounds a started second up, as formatDuration does, so both read the same span', () => {
    expect([formatTimeLeft(59.01), formatDuration(59.01)]).toEqual(['1:00', '1 min 00 s'])
    expect([formatTimeLeft(3599.5), formatDuration(3599.5)]).toEqual(['1:00:00', '1 h 00 min'])
  })

  it('shows a dash for a span it cannot count', () => {
    expect(formatTimeLeft(Number.NaN)).toBe('—')
  })
})

describe('formatClock', () => {
  it('takes epoch milliseconds, like Date.now(), and reads 24-hour with two digits', () => {
    expect(formatClock(new Date(2026, 0, 1, 9, 7, 33).getTime())).toMatch(/^09.07.33$/)
    expect(formatClock(new Date(2026, 0, 1, 21, 7, 33).getTime())).toMatch(/^21.07.33$/)
  })
})
