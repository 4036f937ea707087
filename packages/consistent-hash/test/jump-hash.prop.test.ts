import fc from 'fast-check'
import { expect, test } from 'vitest'
import { jumpHash } from '../src/index.js'

const runs = process.env.CI ? 5000 : 1000
const MASK = (1n << 64n) - 1n

/**
 * Guava's Hashing.consistentHash(long, int), transcribed with BigInt for the 64-bit state and
 * Java's int semantics spelled out: the reference the two-halves implementation must match.
 */
function guavaConsistentHash(input: bigint, buckets: number): number {
  let state = BigInt.asUintN(64, input)
  let candidate = 0
  for (;;) {
    state = (2862933555777941757n * state + 1n) & MASK
    let intTop = Number(state >> 33n) + 1 // (int) (state >>> 33) + 1
    if (intTop === 2 ** 31) intTop = -(2 ** 31) // int overflow
    const nextDouble = intTop / 2 ** 31
    const quotient = (candidate + 1) / nextDouble
    // (int) cast: truncation, saturating at Integer.MAX_VALUE / MIN_VALUE
    const next =
      quotient >= 2 ** 31 ? 2 ** 31 - 1 : quotient <= -(2 ** 31) ? -(2 ** 31) : Math.trunc(quotient)
    if (next >= 0 && next < buckets) candidate = next
    else return candidate
  }
}

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
const buckets = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }))

test('the BigInt-free loop equals a BigInt transcription of Guava on random 64-bit keys', () => {
  fc.assert(
    fc.property(int64, buckets, (key, n) => {
      expect(jumpHash(key, n)).toBe(guavaConsistentHash(key, n))
    }),
    { numRuns: runs },
  )
})

test('the number fast path equals the bigint path for every safe integer', () => {
  fc.assert(
    fc.property(fc.maxSafeInteger(), buckets, (key, n) => {
      expect(jumpHash(key, n)).toBe(jumpHash(BigInt(key), n))
      expect(jumpHash(key, n)).toBe(guavaConsistentHash(BigInt(key), n))
    }),
    { numRuns: runs },
  )
})

test('the int-overflow corner (top 31 bits of the state all ones) follows Guava', () => {
  // Choose keys whose first LCG state has s >>> 33 = 2^31 - 1: s1 = A*k + 1, so k = (s1 - 1) / A
  // mod 2^64 (A is odd, hence invertible mod 2^64).
  const A = 2862933555777941757n
  let inv = 1n
  for (let i = 0; i < 7; i++) inv = (inv * (2n - A * inv)) & MASK // Newton's iteration for 1/A mod 2^64
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 2n ** 33n - 1n }), buckets, (low, n) => {
      const s1 = (0x7fffffffn << 33n) | low
      const key = BigInt.asIntN(64, ((s1 - 1n) * inv) & MASK)
      expect(jumpHash(key, n)).toBe(guavaConsistentHash(key, n))
      expect(jumpHash(key, n)).toBe(0) // the loop ends before leaving bucket 0
    }),
    { numRuns: 200 },
  )
})

test('growing from n to n + 1 buckets moves a key only into the new bucket', () => {
  fc.assert(
    fc.property(fc.oneof(int64, fc.string()), fc.integer({ min: 1, max: 100_000 }), (key, n) => {
      const before = jumpHash(key, n)
      const after = jumpHash(key, n + 1)
      expect(after === before || after === n).toBe(true)
    }),
    { numRuns: runs },
  )
})

test('about 1/(n + 1) of the keys move when a bucket is added, and buckets are balanced', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 200 }), fc.string(), (n, prefix) => {
      const keys = 20_000
      const counts = new Array<number>(n + 1).fill(0)
      let moved = 0
      for (let i = 0; i < keys; i++) {
        const k = `${prefix}:${i}`
        const b = jumpHash(k, n)
        counts[b]!++
        if (jumpHash(k, n + 1) !== b) moved++
      }
      const expected = keys / (n + 1)
      // binomial sd = sqrt(keys p (1-p)) <= 142: 5 sd of slack
      expect(Math.abs(moved - expected)).toBeLessThan(5 * Math.sqrt(expected) + 1)
      const mean = keys / n
      for (const c of counts.slice(0, n)) expect(Math.abs(c - mean)).toBeLessThan(6 * Math.sqrt(mean) + 1)
    }),
    { numRuns: process.env.CI ? 40 : 10 },
  )
})
