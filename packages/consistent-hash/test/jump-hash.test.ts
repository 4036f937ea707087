import { describe, expect, test } from 'vitest'
import { jumpHash, murmur3_128 } from '../src/index.js'

describe('jumpHash: Guava compatibility', () => {
  test("Guava's golden values (HashingTest.testConsistentHash_linearCongruentialGeneratorCompatibility)", () => {
    const golden100 = [0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83]
    golden100.forEach((expected, i) => {
      expect(jumpHash(i, 100), `key ${i}`).toBe(expected)
      expect(jumpHash(BigInt(i), 100), `key ${i}n`).toBe(expected)
    })
    expect(jumpHash(10863919174838991n, 11)).toBe(6)
    expect(jumpHash(2016238256797177309n, 11)).toBe(3)
    expect(jumpHash(1673758223894951030n, 11)).toBe(5)
    expect(jumpHash(2, 100001)).toBe(80343)
    expect(jumpHash(2201, 100001)).toBe(22152)
    expect(jumpHash(2202, 100001)).toBe(15018)
  })

  test("Guava's interesting values keep the monotone jump property up to 100,000 buckets", () => {
    // HashingTest.checkConsistentHashCorrectness: as buckets grow, a key only ever moves to
    // the bucket just added.
    for (const key of [-1n, 0n, 1n, 2n, 2n ** 63n - 1n, -(2n ** 63n)]) {
      let last = 0
      for (let buckets = 1; buckets <= 100_000; buckets++) {
        const b = jumpHash(key, buckets)
        if (b !== last) {
          expect(b).toBe(buckets - 1)
          last = b
        }
      }
    }
  })

  test('a 64-bit key and its two-complement twin land in the same bucket', () => {
    expect(jumpHash(-1n, 1000)).toBe(jumpHash(2n ** 64n - 1n, 1000))
    expect(jumpHash(-(2n ** 63n), 77)).toBe(jumpHash(2n ** 63n, 77))
    expect(jumpHash(-42, 1000)).toBe(jumpHash(-42n, 1000))
    expect(jumpHash(Number.MAX_SAFE_INTEGER, 12345)).toBe(jumpHash(BigInt(Number.MAX_SAFE_INTEGER), 12345))
    expect(jumpHash(Number.MIN_SAFE_INTEGER, 12345)).toBe(jumpHash(BigInt(Number.MIN_SAFE_INTEGER), 12345))
  })

  test("strings: the first 64 bits of MurmurHash3 x64_128, as Guava's consistentHash(HashCode, n)", () => {
    for (const s of ['', 'user:42', 'The quick brown fox jumps over the lazy dog', '毎月１日']) {
      const asLong = new DataView(murmur3_128(s).buffer).getBigInt64(0, true)
      for (const n of [1, 2, 10, 1000, 2 ** 31 - 1]) expect(jumpHash(s, n)).toBe(jumpHash(asLong, n))
    }
    // "The quick brown fox..." has h1 = 0xe34bbc7bbc071b6c (Murmur3Hash128Test).
    expect(jumpHash('The quick brown fox jumps over the lazy dog', 1000)).toBe(
      jumpHash(0xe34bbc7bbc071b6cn, 1000),
    )
  })

  test('one bucket: everything goes to 0', () => {
    expect(jumpHash(123456789n, 1)).toBe(0)
    expect(jumpHash('x', 1)).toBe(0)
  })
})

describe('jumpHash: bad input', () => {
  test('buckets must be an integer from 1 to 2^31 - 1', () => {
    for (const b of [0, -1, 1.5, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => jumpHash(1, b)).toThrow(RangeError)
    }
    expect(() => jumpHash(1, 0)).toThrow('`buckets` must be an integer from 1 to 2147483647, got 0')
    expect(() => jumpHash(1, '3' as unknown as number)).toThrow(RangeError)
  })

  test('number keys must be safe integers; bigint keys must fit in 64 bits', () => {
    expect(() => jumpHash(1.5, 10)).toThrow('`key` must be a safe integer when it is a number, got 1.5')
    expect(() => jumpHash(2 ** 53, 10)).toThrow(RangeError)
    expect(() => jumpHash(Number.NaN, 10)).toThrow(RangeError)
    expect(() => jumpHash(2n ** 64n, 10)).toThrow(
      '`key` must fit in 64 bits (-2^63 to 2^64 - 1), got 18446744073709551616n',
    )
    expect(() => jumpHash(-(2n ** 63n) - 1n, 10)).toThrow(RangeError)
  })

  test('other key types are a TypeError', () => {
    expect(() => jumpHash({} as unknown as string, 10)).toThrow(TypeError)
    expect(() => jumpHash(null as unknown as string, 10)).toThrow(
      '`key` must be a bigint, a safe integer or a string, got null',
    )
  })
})
