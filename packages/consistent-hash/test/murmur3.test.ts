import { describe, expect, test } from 'vitest'
import { murmur3_32, murmur3_128 } from '../src/index.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const TQBFJOTLD = 'The quick brown fox jumps over the lazy dog'

/** Little-endian bytes of a Java int / long, as Guava's hashInt / hashLong feed them. */
const int32 = (v: number) => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setInt32(0, v, true)
  return b
}
const int64 = (v: bigint) => {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigInt64(0, v, true)
  return b
}

/**
 * SMHasher's VerificationTest (aappleby/smhasher src/KeysetTest.cpp): hash keys {0}, {0,1},
 * ... {0..254} with seed 256 - length, hash the concatenated results with seed 0 and read the
 * first 4 bytes little-endian. Guava's Murmur3Hash32Test / Murmur3Hash128Test check the same
 * values (0xB0F57EE3 and 0x6384BA69).
 */
function verification(hash: (bytes: Uint8Array, seed: number) => Uint8Array, hashBytes: number): number {
  const key = new Uint8Array(256)
  const hashes = new Uint8Array(hashBytes * 256)
  for (let i = 0; i < 256; i++) {
    key[i] = i
    hashes.set(hash(key.subarray(0, i), 256 - i), i * hashBytes)
  }
  return new DataView(hash(hashes, 0).buffer).getUint32(0, true)
}

describe('murmur3_32 (x86_32)', () => {
  test("Guava's known UTF-8 string hashes (Murmur3Hash32Test.testKnownEncodedStringInputs)", () => {
    // Guava compares HashCode.fromInt(expected): the same 32 bits as our unsigned result.
    const cases: Array<[number, string]> = [
      [0, ''],
      [0xcfbda5d1, 'k'],
      [0xa167dbf3, 'hell'],
      [0x248bfa47, 'hello'],
      [0x3d41b97c, 'http://www.google.com/'],
      [0x2e4ff723, TQBFJOTLD],
      [0xb5a4be05, 'ABCDefGHI\u0799'],
      [0xfc5ba834, '毎月１日,毎週月曜日'],
      [0x8a5c3699, 'surrogate pair: \uD83D\uDCB0'],
    ]
    for (const [expected, input] of cases) expect(murmur3_32(input), input).toBe(expected)
  })

  test("Guava's KNOWN_HASHES table (HashingTest): digest bytes", () => {
    const bytesOf = (h: number) => hex(int32(h))
    expect(bytesOf(murmur3_32(''))).toBe('00000000')
    expect(bytesOf(murmur3_32(TQBFJOTLD))).toBe('23f74f2e')
    expect(bytesOf(murmur3_32(`${TQBFJOTLD}.`))).toBe('fc8bc4d5')
  })

  test("Guava's known int and long inputs (hashInt / hashLong: little-endian bytes)", () => {
    const ints: Array<[number, number]> = [
      [593689054, 0],
      [-189366624, -42],
      [-1134849565, 42],
      [-1718298732, -2147483648],
      [-1653689534, 2147483647],
    ]
    for (const [expected, v] of ints) expect(murmur3_32(int32(v)) | 0).toBe(expected)
    const longs: Array<[number, bigint]> = [
      [1669671676, 0n],
      [-846261623, -42n],
      [1871679806, 42n],
      [1366273829, -(2n ** 63n)],
      [-2106506049, 2n ** 63n - 1n],
    ]
    for (const [expected, v] of longs) expect(murmur3_32(int64(v)) | 0).toBe(expected)
  })

  test('SMHasher verification value 0xB0F57EE3', () => {
    expect(verification((b, seed) => int32(murmur3_32(b, seed)), 4)).toBe(0xb0f57ee3)
  })

  test('strings and their UTF-8 bytes hash alike on both paths (ASCII fast path, encoder)', () => {
    const enc = new TextEncoder()
    for (const s of [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      'abcde',
      'é',
      'aé',
      'abé',
      'abcé',
      'ab\u0799',
      '😀',
      'x😀y',
    ]) {
      expect(murmur3_32(s, 7), s).toBe(murmur3_32(enc.encode(s), 7))
    }
  })

  test('lone surrogates hash as U+FFFD, like TextEncoder', () => {
    expect(murmur3_32('a\uD800z')).toBe(murmur3_32('a\uFFFDz'))
    expect(murmur3_32('\uDC00')).toBe(murmur3_32(new TextEncoder().encode('\uDC00')))
  })

  test('a very long non-ASCII key (larger than the reusable buffer) hashes like its bytes', () => {
    const s = 'é'.repeat(40_000)
    expect(murmur3_32(s)).toBe(murmur3_32(new TextEncoder().encode(s)))
    expect(murmur3_32('ü')).toBe(murmur3_32(new TextEncoder().encode('ü')))
  })
})

describe('murmur3_128 (x64_128)', () => {
  test("Guava's KNOWN_HASHES table (HashingTest)", () => {
    expect(hex(murmur3_128(''))).toBe('00000000000000000000000000000000')
    expect(hex(murmur3_128(TQBFJOTLD))).toBe('6c1b07bc7bbc4be347939ac4a93c437a')
    expect(hex(murmur3_128(`${TQBFJOTLD}.`))).toBe('c902e99e1f4899cde7b68789a3a15d69')
  })

  test("Guava's seeded known values (Murmur3Hash128Test.testKnownValues)", () => {
    const cases: Array<[number, bigint, bigint, string]> = [
      [0, 0x629942693e10f867n, 0x92db0b82baeb5347n, 'hell'],
      [1, 0xa78ddff5adae8d10n, 0x128900ef20900135n, 'hello'],
      [2, 0x8a486b23f422e826n, 0xf962a2c58947765fn, 'hello '],
      [3, 0x2ea59f466f6bed8cn, 0xc610990acc428a17n, 'hello w'],
      [4, 0x79f6305a386c572cn, 0x46305aed3483b94en, 'hello wo'],
      [5, 0xc2219d213ec1f1b5n, 0xa1d8e2e0a52785bdn, 'hello wor'],
      [0, 0xe34bbc7bbc071b6cn, 0x7a433ca9c49a9347n, TQBFJOTLD],
      [0, 0x658ca970ff85269an, 0x43fee3eaa68e5c3en, 'The quick brown fox jumps over the lazy cog'],
    ]
    for (const [seed, h1, h2, input] of cases) {
      const view = new DataView(murmur3_128(input, seed).buffer)
      expect(view.getBigUint64(0, true), input).toBe(h1)
      expect(view.getBigUint64(8, true), input).toBe(h2)
    }
  })

  test('SMHasher verification value 0x6384BA69', () => {
    expect(verification((b, seed) => murmur3_128(b, seed), 16)).toBe(0x6384ba69)
  })
})
