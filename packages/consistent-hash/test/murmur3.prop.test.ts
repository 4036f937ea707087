import fc from 'fast-check'
import { expect, test } from 'vitest'
import { murmur3_32, murmur3_128 } from '../src/index.js'

const runs = process.env.CI ? 3000 : 500
const enc = new TextEncoder()

test('murmur3_32: a string hashes exactly like its UTF-8 bytes (any string, any seed)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 64 }), fc.nat(), (s, seed) => {
      expect(murmur3_32(s, seed)).toBe(murmur3_32(enc.encode(s), seed))
    }),
    { numRuns: runs },
  )
})

test('murmur3_128: a string hashes exactly like its UTF-8 bytes', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 64 }), fc.nat(), (s, seed) => {
      expect(murmur3_128(s, seed)).toEqual(murmur3_128(enc.encode(s), seed))
    }),
    { numRuns: runs },
  )
})

test('murmur3_32 returns unsigned 32-bit integers and is a pure function', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const h = murmur3_32(s)
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true)
      expect(murmur3_32(s)).toBe(h)
    }),
    { numRuns: runs },
  )
})
