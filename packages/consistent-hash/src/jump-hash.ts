import { mulhi } from './int64.js'
import { m128, murmur3_128Into } from './murmur3.js'
import { show } from './nodes.js'

// Jump consistent hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm",
// 2014), bit-compatible with Guava's `Hashing.consistentHash(long, int)`.
//
// The 64-bit key is the state of the LCG  s = 2862933555777941757 * s + 1 (mod 2^64). Here it
// is kept as two uint32 halves multiplied with Math.imul and a 16-bit-halves mulhi, so no
// BigInt is touched in the loop; test/jump-hash.prop.test.ts checks it against a direct BigInt
// transcription of Guava's code on random 64-bit keys.
//
// Guava differs from the paper's C++ in two corners, and we follow Guava:
// - it computes (candidate + 1) / ((int)(s >>> 33) + 1) / 2^31) (one rounding) where the C++
//   computes (b + 1) * (2^31 / ((s >> 33) + 1)) (two roundings): the results can differ when
//   the quotient lands within an ulp of an integer;
// - `(int)(s >>> 33) + 1` overflows to -2^31 when the top 31 bits of s are all ones, which
//   makes `next` negative and ends the loop; the C++ keeps going.

// 2862933555777941757 = 0x27bb2ee687b0b0fd
const A_HI = 0x27bb2ee6
const A_LO = 0x87b0b0fd
const TWO_31 = 2147483648
const TWO_32 = 4294967296

/** Guava's loop on the 64-bit key hi:lo (32-bit halves, signed or not: only the bits count). */
function jump(hi: number, lo: number, buckets: number): number {
  // hi and lo stay int32 (Smis): uint32 values >= 2^31 in locals that live across the loop
  // would be kept as doubles.
  hi |= 0
  lo |= 0
  let candidate = 0
  for (;;) {
    // s = s * A + 1 (mod 2^64): the low word of lo * A_LO plus 1 carries into the high word
    // only when that low word is all ones.
    const low = Math.imul(lo, A_LO)
    hi = (mulhi(lo, A_LO) + Math.imul(hi, A_LO) + Math.imul(lo, A_HI) + (low === -1 ? 1 : 0)) | 0
    lo = (low + 1) | 0
    const top = hi >>> 1 // s >>> 33
    if (top === 0x7fffffff) return candidate // Java int overflow: next < 0
    const next = (candidate + 1) / ((top + 1) / TWO_31)
    if (next >= buckets) return candidate
    candidate = Math.floor(next)
  }
}

/**
 * Jump consistent hash: the bucket in `[0, buckets)` for `key`, with no table and no memory.
 * Growing from n to n + 1 buckets moves exactly the keys that land in the new bucket (about
 * 1/(n + 1) of them); buckets can only be added or removed at the end, so it suits numbered
 * shards (e.g. database partitions), not named servers that fail at random.
 *
 * Keys:
 * - `bigint`: a 64-bit key, from -2^63 to 2^64 - 1 (negative values as two's complement, so
 *   a Java `long` gives the same bucket as Guava's `Hashing.consistentHash(long, int)`);
 * - `number`: a safe integer, treated as the int64 of the same value (no BigInt involved);
 * - `string`: hashed first with MurmurHash3 x64_128 of its UTF-8 bytes, keeping the first 64
 *   bits, so `jumpHash(s, n)` equals Guava's
 *   `Hashing.consistentHash(Hashing.murmur3_128().hashString(s, UTF_8), n)`.
 *
 * @param buckets - an integer from 1 to 2^31 - 1.
 * @example
 * ```ts
 * import { jumpHash } from '@hotpath/consistent-hash'
 *
 * jumpHash(1, 100)                          // 55 (Guava's golden value)
 * jumpHash(10863919174838991n, 11)          // 6
 * const shard = jumpHash('user:42', 16)     // 0..15, stable when growing to 17 shards
 * ```
 */
export function jumpHash(key: bigint | number | string, buckets: number): number {
  if (typeof buckets !== 'number' || !Number.isInteger(buckets) || buckets < 1 || buckets > 0x7fffffff) {
    throw new RangeError(`\`buckets\` must be an integer from 1 to 2147483647, got ${show(buckets)}`)
  }
  if (typeof key === 'number') {
    if (!Number.isSafeInteger(key)) {
      throw new RangeError(`\`key\` must be a safe integer when it is a number, got ${show(key)}`)
    }
    // ToUint32 is exact modular arithmetic for any safe integer, negative ones included.
    return jump(Math.floor(key / TWO_32) >>> 0, key >>> 0, buckets)
  }
  if (typeof key === 'string') {
    murmur3_128Into(key, 0)
    return jump(m128[0]!, m128[1]!, buckets)
  }
  if (typeof key === 'bigint') {
    if (key < -0x8000000000000000n || key > 0xffffffffffffffffn) {
      throw new RangeError(`\`key\` must fit in 64 bits (-2^63 to 2^64 - 1), got ${show(key)}`)
    }
    const u = BigInt.asUintN(64, key)
    return jump(Number(u >> 32n), Number(u & 0xffffffffn), buckets)
  }
  throw new TypeError(`\`key\` must be a bigint, a safe integer or a string, got ${show(key)}`)
}
