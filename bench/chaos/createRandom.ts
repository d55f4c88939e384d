/** A seeded pseudo-random stream (mulberry32): the same seed and name give the same numbers. */
export interface Random {
  /** A number in [0, 1). */
  next: () => number
  /** An integer in [min, max]. */
  int: (min: number, max: number) => number
  /** A number in [min, max). */
  between: (min: number, max: number) => number
}

function hash(text: string): number {
  // FNV-1a: spreads a seed and a stream name over 32 bits.
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * One independent stream per `name`, so that each kind of decision (the n-th refresh, the n-th
 * navigation of tab 3, ...) draws the same numbers in every row of a run, whatever the others do.
 */
export function createRandom(seed: number, name: string): Random {
  let state = hash(`${seed}:${name}`)
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
  }
}
