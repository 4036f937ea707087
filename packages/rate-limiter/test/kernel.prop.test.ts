import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { windowStart } from '../src/kernel.js'
import { runs } from './helpers.js'

describe('windowStart', () => {
  it('windowStart aligns to multiples of the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 45 }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (now, w) => {
          const start = windowStart(now, w)
          expect(start % w === 0 || Object.is(start % w, -0)).toBe(true)
          expect(start <= now && now < start + w).toBe(true)
        },
      ),
      { numRuns: runs(5_000, 50_000) },
    )
  })
})
