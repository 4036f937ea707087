import { mulhi } from './int64.js'
import { encoded, encodeUtf8 } from './utf8.js'

// MurmurHash3 (Austin Appleby, public domain), x86_32 and x64_128, over the UTF-8 bytes of a
// string. Both match the reference C++ and Guava's `Hashing.murmur3_32_fixed()` /
// `Hashing.murmur3_128()` byte for byte (see test/murmur3.test.ts for the published vectors).

const C1 = 0xcc9e2d51
const C2 = 0x1b873593

function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

function mix32(h: number, k: number): number {
  k = Math.imul(k, C1)
  k = (k << 15) | (k >>> 17)
  h ^= Math.imul(k, C2)
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

function tail32(h: number, k: number): number {
  k = Math.imul(k, C1)
  k = (k << 15) | (k >>> 17)
  return h ^ Math.imul(k, C2)
}

/** MurmurHash3 x86_32 of `len` bytes of `b`. @internal */
export function murmur3_32Bytes(b: Uint8Array, len: number, seed: number): number {
  let h = seed | 0
  const end = len & ~3
  let i = 0
  for (; i < end; i += 4) {
    h = mix32(h, b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24))
  }
  const rem = len & 3
  if (rem !== 0) {
    let k = b[i]!
    if (rem > 1) k |= b[i + 1]! << 8
    if (rem > 2) k |= b[i + 2]! << 16
    h = tail32(h, k)
  }
  return fmix32(h ^ len)
}

function murmur3_32Utf8(s: string, seed: number): number {
  const n = encodeUtf8(s) // before reading encoded.bytes: encoding may swap the buffer
  return murmur3_32Bytes(encoded.bytes, n, seed)
}

/**
 * MurmurHash3 x86_32 of a string's UTF-8 bytes (or of raw bytes), as an unsigned 32-bit integer.
 * The default hash of {@link HashRing}, {@link RendezvousHash}, {@link Maglev} and
 * {@link BoundedLoadRing}. Strings are hashed without being copied while they are ASCII; other
 * strings are encoded into a reused buffer (lone surrogates hash as U+FFFD, like `TextEncoder`).
 *
 * Equal to Guava's `Hashing.murmur3_32_fixed(seed).hashString(s, UTF_8).asInt() >>> 0`.
 *
 * @param seed - unsigned 32-bit seed (default 0).
 * @example
 * ```ts
 * import { murmur3_32 } from '@hotpath/consistent-hash'
 *
 * murmur3_32('The quick brown fox jumps over the lazy dog') // 0x2e4ff723
 * murmur3_32(new Uint8Array([1, 2, 3]), 42)
 * ```
 */
export function murmur3_32(input: string | Uint8Array, seed = 0): number {
  if (typeof input !== 'string') return murmur3_32Bytes(input, input.length, seed)
  const len = input.length
  const end = len & ~3
  let h = seed | 0
  let i = 0
  for (; i < end; i += 4) {
    const c0 = input.charCodeAt(i)
    const c1 = input.charCodeAt(i + 1)
    const c2 = input.charCodeAt(i + 2)
    const c3 = input.charCodeAt(i + 3)
    // Any code unit >= 0x80 means the UTF-8 bytes differ from the code units: start over on
    // the encoded bytes. Costs one wasted partial pass, only for non-ASCII keys.
    if ((c0 | c1 | c2 | c3) > 0x7f) return murmur3_32Utf8(input, seed)
    h = mix32(h, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24))
  }
  const rem = len & 3
  if (rem !== 0) {
    const c0 = input.charCodeAt(i)
    const c1 = rem > 1 ? input.charCodeAt(i + 1) : 0
    const c2 = rem > 2 ? input.charCodeAt(i + 2) : 0
    if ((c0 | c1 | c2) > 0x7f) return murmur3_32Utf8(input, seed)
    h = tail32(h, c0 | (c1 << 8) | (c2 << 16))
  }
  return fmix32(h ^ len)
}

// ---- x64_128, in 32-bit halves (no BigInt): each 64-bit value is a (hi, lo) pair of int32.
// Results come back through a typed array: a uint32 >= 2^31 kept in a plain variable or field
// would be a boxed heap number, and every 64-bit step would allocate.

const R = new Int32Array(2) // [hi, lo] of the last helper's result

/** (ah:al × bh:bl) mod 2^64 into R. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  R[1] = Math.imul(al, bl)
  R[0] = mulhi(al, bl) + Math.imul(ah, bl) + Math.imul(al, bh)
}

/** rotl64(h:l, r) into R, 0 < r < 64, r !== 32. */
function rotl64(h: number, l: number, r: number): void {
  if (r > 32) {
    const t = h
    h = l
    l = t
    r -= 32
  }
  R[0] = (h << r) | (l >>> (32 - r))
  R[1] = (l << r) | (h >>> (32 - r))
}

function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = (al >>> 0) + (bl >>> 0)
  R[1] = lo
  R[0] = ah + bh + (lo > 0xffffffff ? 1 : 0)
}

function fmix64(h: number, l: number): void {
  l ^= h >>> 1
  mul64(h, l, 0xff51afd7, 0xed558ccd)
  h = R[0]!
  l = R[1]! ^ (h >>> 1)
  mul64(h, l, 0xc4ceb9fe, 0x1a85ec53)
  h = R[0]!
  R[1] = R[1]! ^ (h >>> 1)
}

const K1H = 0x87c37b91 | 0
const K1L = 0x114253d5
const K2H = 0x4cf5ad43
const K2L = 0x2745937f

/**
 * MurmurHash3 x64_128 of `len` bytes; the result is left in `m128` as int32 halves
 * [h1hi, h1lo, h2hi, h2lo] (h1 = the first 8 bytes of the digest read little-endian, Guava's
 * `asLong()`).
 * @internal
 */
export const m128: Int32Array = new Int32Array(4)

function le32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)
}

/** Partial little-endian word of `n` (0..4) bytes from `i`. */
function lePart(b: Uint8Array, i: number, n: number): number {
  let w = 0
  for (let j = n - 1; j >= 0; j--) w = (w << 8) | b[i + j]!
  return w
}

/** @internal */
export function murmur3_128Bytes(b: Uint8Array, len: number, seed: number): void {
  let h1h = 0
  let h1l = seed | 0
  let h2h = 0
  let h2l = seed | 0
  const end = len - (len & 15)
  let i = 0
  for (; i < end; i += 16) {
    // k1 *= c1; k1 = rotl(k1, 31); k1 *= c2; h1 ^= k1
    mul64(le32(b, i + 4), le32(b, i), K1H, K1L)
    rotl64(R[0]!, R[1]!, 31)
    mul64(R[0]!, R[1]!, K2H, K2L)
    h1h ^= R[0]!
    h1l ^= R[1]!
    // h1 = rotl(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729
    rotl64(h1h, h1l, 27)
    add64(R[0]!, R[1]!, h2h, h2l)
    mul64(R[0]!, R[1]!, 0, 5)
    add64(R[0]!, R[1]!, 0, 0x52dce729)
    h1h = R[0]!
    h1l = R[1]!
    // k2 *= c2; k2 = rotl(k2, 33); k2 *= c1; h2 ^= k2
    mul64(le32(b, i + 12), le32(b, i + 8), K2H, K2L)
    rotl64(R[0]!, R[1]!, 33)
    mul64(R[0]!, R[1]!, K1H, K1L)
    h2h ^= R[0]!
    h2l ^= R[1]!
    // h2 = rotl(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5
    rotl64(h2h, h2l, 31)
    add64(R[0]!, R[1]!, h1h, h1l)
    mul64(R[0]!, R[1]!, 0, 5)
    add64(R[0]!, R[1]!, 0, 0x38495ab5)
    h2h = R[0]!
    h2l = R[1]!
  }
  const rem = len & 15
  if (rem > 8) {
    const n = rem - 8
    const lo = lePart(b, i + 8, Math.min(n, 4))
    const hi = n > 4 ? lePart(b, i + 12, n - 4) : 0
    mul64(hi, lo, K2H, K2L)
    rotl64(R[0]!, R[1]!, 33)
    mul64(R[0]!, R[1]!, K1H, K1L)
    h2h ^= R[0]!
    h2l ^= R[1]!
  }
  if (rem > 0) {
    const n = Math.min(rem, 8)
    const lo = lePart(b, i, Math.min(n, 4))
    const hi = n > 4 ? lePart(b, i + 4, n - 4) : 0
    mul64(hi, lo, K1H, K1L)
    rotl64(R[0]!, R[1]!, 31)
    mul64(R[0]!, R[1]!, K2H, K2L)
    h1h ^= R[0]!
    h1l ^= R[1]!
  }
  // Finalization: lengths here are < 2^32, so the high word of `len` is 0.
  h1l ^= len
  h2l ^= len
  add64(h1h, h1l, h2h, h2l)
  h1h = R[0]!
  h1l = R[1]!
  add64(h2h, h2l, h1h, h1l)
  h2h = R[0]!
  h2l = R[1]!
  fmix64(h1h, h1l)
  h1h = R[0]!
  h1l = R[1]!
  fmix64(h2h, h2l)
  h2h = R[0]!
  h2l = R[1]!
  add64(h1h, h1l, h2h, h2l)
  h1h = R[0]!
  h1l = R[1]!
  add64(h2h, h2l, h1h, h1l)
  m128[0] = h1h
  m128[1] = h1l
  m128[2] = R[0]!
  m128[3] = R[1]!
}

/** @internal Hashes a string (UTF-8) or bytes into `m128`. */
export function murmur3_128Into(input: string | Uint8Array, seed: number): void {
  if (typeof input === 'string') {
    const n = encodeUtf8(input) // before reading encoded.bytes: encoding may swap the buffer
    murmur3_128Bytes(encoded.bytes, n, seed)
  } else murmur3_128Bytes(input, input.length, seed)
}

/**
 * MurmurHash3 x64_128 of a string's UTF-8 bytes (or of raw bytes): the 16-byte digest, in the
 * byte order of the reference implementation and of Guava's `HashCode.asBytes()`.
 * {@link jumpHash} hashes string keys with it and uses the first 8 bytes, little-endian
 * (Guava's `HashCode.asLong()`).
 *
 * @param seed - unsigned 32-bit seed (default 0), zero-extended as in the reference C++.
 * @example
 * ```ts
 * import { murmur3_128 } from '@hotpath/consistent-hash'
 *
 * const digest = murmur3_128('hello') // Uint8Array(16)
 * ```
 */
export function murmur3_128(input: string | Uint8Array, seed = 0): Uint8Array {
  murmur3_128Into(input, seed)
  const out = new Uint8Array(16)
  const view = new DataView(out.buffer)
  view.setInt32(0, m128[1]!, true)
  view.setInt32(4, m128[0]!, true)
  view.setInt32(8, m128[3]!, true)
  view.setInt32(12, m128[2]!, true)
  return out
}

/** MurmurHash3's 32-bit finalizer: a fast bijective mixer. @internal */
export { fmix32 }
