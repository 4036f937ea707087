import { encoded, encodeUtf8 } from './utf8.js'

// MD5 (RFC 1321), in-package so the ketama mode stays platform-neutral (no node:crypto, no
// async WebCrypto, which has no MD5 anyway). Only ketama compatibility uses it: libketama
// places servers and keys with MD5. The 64 steps are unrolled; the constants are RFC 1321's
// T[i] = floor(|sin(i + 1)| * 2^32), written out as literals so no engine's Math.sin is trusted.

const X = new Int32Array(16)

/**
 * The digest of the last call, as the four little-endian 32-bit words of the 16-byte output.
 * Word i is bytes 4i..4i+3 read little-endian, which is exactly libketama's point
 * `(d[3+4i] << 24) | (d[2+4i] << 16) | (d[1+4i] << 8) | d[4i]`.
 * @internal
 */
export const md5Words: Int32Array = new Int32Array(4)

function compress(): void {
  const x0 = X[0]!
  const x1 = X[1]!
  const x2 = X[2]!
  const x3 = X[3]!
  const x4 = X[4]!
  const x5 = X[5]!
  const x6 = X[6]!
  const x7 = X[7]!
  const x8 = X[8]!
  const x9 = X[9]!
  const x10 = X[10]!
  const x11 = X[11]!
  const x12 = X[12]!
  const x13 = X[13]!
  const x14 = X[14]!
  const x15 = X[15]!
  const s = md5Words
  let a = s[0]!
  let b = s[1]!
  let c = s[2]!
  let d = s[3]!
  let t: number
  t = (a + ((b & c) | (~b & d)) + x0 + 0xd76aa478) | 0
  a = (((t << 7) | (t >>> 25)) + b) | 0
  t = (d + ((a & b) | (~a & c)) + x1 + 0xe8c7b756) | 0
  d = (((t << 12) | (t >>> 20)) + a) | 0
  t = (c + ((d & a) | (~d & b)) + x2 + 0x242070db) | 0
  c = (((t << 17) | (t >>> 15)) + d) | 0
  t = (b + ((c & d) | (~c & a)) + x3 + 0xc1bdceee) | 0
  b = (((t << 22) | (t >>> 10)) + c) | 0
  t = (a + ((b & c) | (~b & d)) + x4 + 0xf57c0faf) | 0
  a = (((t << 7) | (t >>> 25)) + b) | 0
  t = (d + ((a & b) | (~a & c)) + x5 + 0x4787c62a) | 0
  d = (((t << 12) | (t >>> 20)) + a) | 0
  t = (c + ((d & a) | (~d & b)) + x6 + 0xa8304613) | 0
  c = (((t << 17) | (t >>> 15)) + d) | 0
  t = (b + ((c & d) | (~c & a)) + x7 + 0xfd469501) | 0
  b = (((t << 22) | (t >>> 10)) + c) | 0
  t = (a + ((b & c) | (~b & d)) + x8 + 0x698098d8) | 0
  a = (((t << 7) | (t >>> 25)) + b) | 0
  t = (d + ((a & b) | (~a & c)) + x9 + 0x8b44f7af) | 0
  d = (((t << 12) | (t >>> 20)) + a) | 0
  t = (c + ((d & a) | (~d & b)) + x10 + 0xffff5bb1) | 0
  c = (((t << 17) | (t >>> 15)) + d) | 0
  t = (b + ((c & d) | (~c & a)) + x11 + 0x895cd7be) | 0
  b = (((t << 22) | (t >>> 10)) + c) | 0
  t = (a + ((b & c) | (~b & d)) + x12 + 0x6b901122) | 0
  a = (((t << 7) | (t >>> 25)) + b) | 0
  t = (d + ((a & b) | (~a & c)) + x13 + 0xfd987193) | 0
  d = (((t << 12) | (t >>> 20)) + a) | 0
  t = (c + ((d & a) | (~d & b)) + x14 + 0xa679438e) | 0
  c = (((t << 17) | (t >>> 15)) + d) | 0
  t = (b + ((c & d) | (~c & a)) + x15 + 0x49b40821) | 0
  b = (((t << 22) | (t >>> 10)) + c) | 0
  t = (a + ((b & d) | (c & ~d)) + x1 + 0xf61e2562) | 0
  a = (((t << 5) | (t >>> 27)) + b) | 0
  t = (d + ((a & c) | (b & ~c)) + x6 + 0xc040b340) | 0
  d = (((t << 9) | (t >>> 23)) + a) | 0
  t = (c + ((d & b) | (a & ~b)) + x11 + 0x265e5a51) | 0
  c = (((t << 14) | (t >>> 18)) + d) | 0
  t = (b + ((c & a) | (d & ~a)) + x0 + 0xe9b6c7aa) | 0
  b = (((t << 20) | (t >>> 12)) + c) | 0
  t = (a + ((b & d) | (c & ~d)) + x5 + 0xd62f105d) | 0
  a = (((t << 5) | (t >>> 27)) + b) | 0
  t = (d + ((a & c) | (b & ~c)) + x10 + 0x02441453) | 0
  d = (((t << 9) | (t >>> 23)) + a) | 0
  t = (c + ((d & b) | (a & ~b)) + x15 + 0xd8a1e681) | 0
  c = (((t << 14) | (t >>> 18)) + d) | 0
  t = (b + ((c & a) | (d & ~a)) + x4 + 0xe7d3fbc8) | 0
  b = (((t << 20) | (t >>> 12)) + c) | 0
  t = (a + ((b & d) | (c & ~d)) + x9 + 0x21e1cde6) | 0
  a = (((t << 5) | (t >>> 27)) + b) | 0
  t = (d + ((a & c) | (b & ~c)) + x14 + 0xc33707d6) | 0
  d = (((t << 9) | (t >>> 23)) + a) | 0
  t = (c + ((d & b) | (a & ~b)) + x3 + 0xf4d50d87) | 0
  c = (((t << 14) | (t >>> 18)) + d) | 0
  t = (b + ((c & a) | (d & ~a)) + x8 + 0x455a14ed) | 0
  b = (((t << 20) | (t >>> 12)) + c) | 0
  t = (a + ((b & d) | (c & ~d)) + x13 + 0xa9e3e905) | 0
  a = (((t << 5) | (t >>> 27)) + b) | 0
  t = (d + ((a & c) | (b & ~c)) + x2 + 0xfcefa3f8) | 0
  d = (((t << 9) | (t >>> 23)) + a) | 0
  t = (c + ((d & b) | (a & ~b)) + x7 + 0x676f02d9) | 0
  c = (((t << 14) | (t >>> 18)) + d) | 0
  t = (b + ((c & a) | (d & ~a)) + x12 + 0x8d2a4c8a) | 0
  b = (((t << 20) | (t >>> 12)) + c) | 0
  t = (a + (b ^ c ^ d) + x5 + 0xfffa3942) | 0
  a = (((t << 4) | (t >>> 28)) + b) | 0
  t = (d + (a ^ b ^ c) + x8 + 0x8771f681) | 0
  d = (((t << 11) | (t >>> 21)) + a) | 0
  t = (c + (d ^ a ^ b) + x11 + 0x6d9d6122) | 0
  c = (((t << 16) | (t >>> 16)) + d) | 0
  t = (b + (c ^ d ^ a) + x14 + 0xfde5380c) | 0
  b = (((t << 23) | (t >>> 9)) + c) | 0
  t = (a + (b ^ c ^ d) + x1 + 0xa4beea44) | 0
  a = (((t << 4) | (t >>> 28)) + b) | 0
  t = (d + (a ^ b ^ c) + x4 + 0x4bdecfa9) | 0
  d = (((t << 11) | (t >>> 21)) + a) | 0
  t = (c + (d ^ a ^ b) + x7 + 0xf6bb4b60) | 0
  c = (((t << 16) | (t >>> 16)) + d) | 0
  t = (b + (c ^ d ^ a) + x10 + 0xbebfbc70) | 0
  b = (((t << 23) | (t >>> 9)) + c) | 0
  t = (a + (b ^ c ^ d) + x13 + 0x289b7ec6) | 0
  a = (((t << 4) | (t >>> 28)) + b) | 0
  t = (d + (a ^ b ^ c) + x0 + 0xeaa127fa) | 0
  d = (((t << 11) | (t >>> 21)) + a) | 0
  t = (c + (d ^ a ^ b) + x3 + 0xd4ef3085) | 0
  c = (((t << 16) | (t >>> 16)) + d) | 0
  t = (b + (c ^ d ^ a) + x6 + 0x04881d05) | 0
  b = (((t << 23) | (t >>> 9)) + c) | 0
  t = (a + (b ^ c ^ d) + x9 + 0xd9d4d039) | 0
  a = (((t << 4) | (t >>> 28)) + b) | 0
  t = (d + (a ^ b ^ c) + x12 + 0xe6db99e5) | 0
  d = (((t << 11) | (t >>> 21)) + a) | 0
  t = (c + (d ^ a ^ b) + x15 + 0x1fa27cf8) | 0
  c = (((t << 16) | (t >>> 16)) + d) | 0
  t = (b + (c ^ d ^ a) + x2 + 0xc4ac5665) | 0
  b = (((t << 23) | (t >>> 9)) + c) | 0
  t = (a + (c ^ (b | ~d)) + x0 + 0xf4292244) | 0
  a = (((t << 6) | (t >>> 26)) + b) | 0
  t = (d + (b ^ (a | ~c)) + x7 + 0x432aff97) | 0
  d = (((t << 10) | (t >>> 22)) + a) | 0
  t = (c + (a ^ (d | ~b)) + x14 + 0xab9423a7) | 0
  c = (((t << 15) | (t >>> 17)) + d) | 0
  t = (b + (d ^ (c | ~a)) + x5 + 0xfc93a039) | 0
  b = (((t << 21) | (t >>> 11)) + c) | 0
  t = (a + (c ^ (b | ~d)) + x12 + 0x655b59c3) | 0
  a = (((t << 6) | (t >>> 26)) + b) | 0
  t = (d + (b ^ (a | ~c)) + x3 + 0x8f0ccc92) | 0
  d = (((t << 10) | (t >>> 22)) + a) | 0
  t = (c + (a ^ (d | ~b)) + x10 + 0xffeff47d) | 0
  c = (((t << 15) | (t >>> 17)) + d) | 0
  t = (b + (d ^ (c | ~a)) + x1 + 0x85845dd1) | 0
  b = (((t << 21) | (t >>> 11)) + c) | 0
  t = (a + (c ^ (b | ~d)) + x8 + 0x6fa87e4f) | 0
  a = (((t << 6) | (t >>> 26)) + b) | 0
  t = (d + (b ^ (a | ~c)) + x15 + 0xfe2ce6e0) | 0
  d = (((t << 10) | (t >>> 22)) + a) | 0
  t = (c + (a ^ (d | ~b)) + x6 + 0xa3014314) | 0
  c = (((t << 15) | (t >>> 17)) + d) | 0
  t = (b + (d ^ (c | ~a)) + x13 + 0x4e0811a1) | 0
  b = (((t << 21) | (t >>> 11)) + c) | 0
  t = (a + (c ^ (b | ~d)) + x4 + 0xf7537e82) | 0
  a = (((t << 6) | (t >>> 26)) + b) | 0
  t = (d + (b ^ (a | ~c)) + x11 + 0xbd3af235) | 0
  d = (((t << 10) | (t >>> 22)) + a) | 0
  t = (c + (a ^ (d | ~b)) + x2 + 0x2ad7d2bb) | 0
  c = (((t << 15) | (t >>> 17)) + d) | 0
  t = (b + (d ^ (c | ~a)) + x9 + 0xeb86d391) | 0
  b = (((t << 21) | (t >>> 11)) + c) | 0
  s[0] = (s[0]! + a) | 0
  s[1] = (s[1]! + b) | 0
  s[2] = (s[2]! + c) | 0
  s[3] = (s[3]! + d) | 0
}

function init(): void {
  md5Words[0] = 0x67452301
  md5Words[1] = 0xefcdab89 | 0
  md5Words[2] = 0x98badcfe | 0
  md5Words[3] = 0x10325476
}

/** MD5 of `len` bytes of `b` into {@link md5Words}. @internal */
export function md5Bytes(b: Uint8Array, len: number): void {
  init()
  const full = len - (len & 63)
  let i = 0
  for (; i < full; i += 64) {
    for (let w = 0; w < 16; w++) {
      const p = i + w * 4
      X[w] = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)
    }
    compress()
  }
  X.fill(0)
  const rem = len - full
  for (let j = 0; j < rem; j++) X[j >> 2]! |= b[i + j]! << ((j & 3) << 3)
  X[rem >> 2]! |= 0x80 << ((rem & 3) << 3)
  if (rem > 55) {
    compress()
    X.fill(0)
  }
  X[14] = len * 8
  X[15] = Math.floor(len / 0x20000000)
  compress()
}

/**
 * MD5 of a string's UTF-8 bytes into {@link md5Words}. ASCII strings of up to 55 characters
 * (every realistic server name and cache key) go straight into the single padded block.
 * @internal
 */
export function md5String(s: string): void {
  const len = s.length
  if (len <= 55) {
    X.fill(0)
    let ascii = true
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i)
      if (c > 0x7f) {
        ascii = false
        break
      }
      X[i >> 2]! |= c << ((i & 3) << 3)
    }
    if (ascii) {
      X[len >> 2]! |= 0x80 << ((len & 3) << 3)
      X[14] = len * 8
      init()
      compress()
      return
    }
  }
  const n = encodeUtf8(s) // before reading encoded.bytes: encoding may swap the buffer
  md5Bytes(encoded.bytes, n)
}

/**
 * The 16-byte MD5 digest of a string (UTF-8) or bytes. Exposed for tests and tooling; the
 * rings use {@link md5Words} directly.
 * @internal
 */
export function md5(input: string | Uint8Array): Uint8Array {
  if (typeof input === 'string') md5String(input)
  else md5Bytes(input, input.length)
  const out = new Uint8Array(16)
  const view = new DataView(out.buffer)
  for (let i = 0; i < 4; i++) view.setInt32(i * 4, md5Words[i]!, true)
  return out
}
