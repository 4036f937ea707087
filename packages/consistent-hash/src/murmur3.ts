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

// ---- x64_128, in 32-bit halves (no BigInt): each 64-bit value is a (hi, lo) pair of uint32.

// "Registers" the 64-bit helpers write their result to, so they return without allocating.
let rh = 0
let rl = 0

/** (ah:al × bh:bl) mod 2^64 into rh:rl. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff
  const a1 = al >>> 16
  const b0 = bl & 0xffff
  const b1 = bl >>> 16
  const mid = a0 * b1 + a1 * b0 // < 2^33, exact in a double
  const low = a0 * b0 + (mid % 65536) * 65536 // < 2^33
  rl = low >>> 0
  rh =
    (a1 * b1 +
      Math.floor(mid / 65536) +
      Math.floor(low / 4294967296) +
      Math.imul(ah, bl) +
      Math.imul(al, bh)) >>>
    0
}

/** rotl64(h:l, r) into rh:rl, 0 < r < 64, r !== 32. */
function rotl64(h: number, l: number, r: number): void {
  if (r > 32) {
    const t = h
    h = l
    l = t
    r -= 32
  }
  rh = ((h << r) | (l >>> (32 - r))) >>> 0
  rl = ((l << r) | (h >>> (32 - r))) >>> 0
}

function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl
  rl = lo >>> 0
  rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) >>> 0
}

function fmix64(h: number, l: number): void {
  l = (l ^ (h >>> 1)) >>> 0
  mul64(h, l, 0xff51afd7, 0xed558ccd)
  h = rh
  l = (rl ^ (h >>> 1)) >>> 0
  mul64(h, l, 0xc4ceb9fe, 0x1a85ec53)
  h = rh
  rl = (rl ^ (h >>> 1)) >>> 0
}

const K1H = 0x87c37b91
const K1L = 0x114253d5
const K2H = 0x4cf5ad43
const K2L = 0x2745937f

/**
 * MurmurHash3 x64_128 of `len` bytes; the result is left in `m128` as four uint32 halves
 * (h1 = h1hi:h1lo is the first 8 bytes of the digest read little-endian, Guava's `asLong()`).
 * @internal
 */
export const m128: { h1hi: number; h1lo: number; h2hi: number; h2lo: number } = {
  h1hi: 0,
  h1lo: 0,
  h2hi: 0,
  h2lo: 0,
}

function le32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
}

/** Partial little-endian word of `n` (0..4) bytes from `i`. */
function lePart(b: Uint8Array, i: number, n: number): number {
  let w = 0
  for (let j = n - 1; j >= 0; j--) w = (w << 8) | b[i + j]!
  return w >>> 0
}

/** @internal */
export function murmur3_128Bytes(b: Uint8Array, len: number, seed: number): void {
  let h1h = 0
  let h1l = seed >>> 0
  let h2h = 0
  let h2l = seed >>> 0
  const end = len - (len & 15)
  let i = 0
  for (; i < end; i += 16) {
    // k1 *= c1; k1 = rotl(k1, 31); k1 *= c2; h1 ^= k1
    mul64(le32(b, i + 4), le32(b, i), K1H, K1L)
    rotl64(rh, rl, 31)
    mul64(rh, rl, K2H, K2L)
    h1h = (h1h ^ rh) >>> 0
    h1l = (h1l ^ rl) >>> 0
    // h1 = rotl(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729
    rotl64(h1h, h1l, 27)
    add64(rh, rl, h2h, h2l)
    mul64(rh, rl, 0, 5)
    add64(rh, rl, 0, 0x52dce729)
    h1h = rh
    h1l = rl
    // k2 *= c2; k2 = rotl(k2, 33); k2 *= c1; h2 ^= k2
    mul64(le32(b, i + 12), le32(b, i + 8), K2H, K2L)
    rotl64(rh, rl, 33)
    mul64(rh, rl, K1H, K1L)
    h2h = (h2h ^ rh) >>> 0
    h2l = (h2l ^ rl) >>> 0
    // h2 = rotl(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5
    rotl64(h2h, h2l, 31)
    add64(rh, rl, h1h, h1l)
    mul64(rh, rl, 0, 5)
    add64(rh, rl, 0, 0x38495ab5)
    h2h = rh
    h2l = rl
  }
  const rem = len & 15
  if (rem > 8) {
    const n = rem - 8
    const lo = lePart(b, i + 8, Math.min(n, 4))
    const hi = n > 4 ? lePart(b, i + 12, n - 4) : 0
    mul64(hi, lo, K2H, K2L)
    rotl64(rh, rl, 33)
    mul64(rh, rl, K1H, K1L)
    h2h = (h2h ^ rh) >>> 0
    h2l = (h2l ^ rl) >>> 0
  }
  if (rem > 0) {
    const n = Math.min(rem, 8)
    const lo = lePart(b, i, Math.min(n, 4))
    const hi = n > 4 ? lePart(b, i + 4, n - 4) : 0
    mul64(hi, lo, K1H, K1L)
    rotl64(rh, rl, 31)
    mul64(rh, rl, K2H, K2L)
    h1h = (h1h ^ rh) >>> 0
    h1l = (h1l ^ rl) >>> 0
  }
  // Finalization: lengths here are < 2^32, so the high word of `len` is 0.
  h1l = (h1l ^ len) >>> 0
  h2l = (h2l ^ len) >>> 0
  add64(h1h, h1l, h2h, h2l)
  h1h = rh
  h1l = rl
  add64(h2h, h2l, h1h, h1l)
  h2h = rh
  h2l = rl
  fmix64(h1h, h1l)
  h1h = rh
  h1l = rl
  fmix64(h2h, h2l)
  h2h = rh
  h2l = rl
  add64(h1h, h1l, h2h, h2l)
  h1h = rh
  h1l = rl
  add64(h2h, h2l, h1h, h1l)
  m128.h1hi = h1h
  m128.h1lo = h1l
  m128.h2hi = rh
  m128.h2lo = rl
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
  view.setUint32(0, m128.h1lo, true)
  view.setUint32(4, m128.h1hi, true)
  view.setUint32(8, m128.h2lo, true)
  view.setUint32(12, m128.h2hi, true)
  return out
}

/** MurmurHash3's 32-bit finalizer: a fast bijective mixer. @internal */
export { fmix32 }
