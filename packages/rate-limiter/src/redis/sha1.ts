/**
 * SHA-1 of a string's UTF-8 bytes, as lowercase hex: the name Redis gives a script (EVALSHA). Scripts
 * are made per policy at runtime, so their names are computed here, synchronously and without
 * `node:crypto`; a few kilobytes once per policy, never per check.
 */
export function sha1(text: string): string {
  const bytes = new TextEncoder().encode(text)
  const n = bytes.length
  // Message, a 1 bit, zeros, and the bit length in the last 64 bits of the last 64-byte block.
  const words = new Uint32Array((((n + 8) >>> 6) + 1) * 16)
  for (let i = 0; i < n; i++) words[i >>> 2]! |= bytes[i]! << (24 - (i & 3) * 8)
  words[n >>> 2]! |= 0x80 << (24 - (n & 3) * 8)
  words[words.length - 2] = Math.floor(n / 0x20000000)
  words[words.length - 1] = (n * 8) >>> 0
  const w = new Uint32Array(80)
  let h0 = 0x67452301
  let h1 = 0xefcdab89
  let h2 = 0x98badcfe
  let h3 = 0x10325476
  let h4 = 0xc3d2e1f0
  for (let block = 0; block < words.length; block += 16) {
    for (let t = 0; t < 16; t++) w[t] = words[block + t]!
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!
      w[t] = (x << 1) | (x >>> 31)
    }
    let a = h0
    let b = h1
    let c = h2
    let d = h3
    let e = h4
    for (let t = 0; t < 80; t++) {
      let f: number
      let k: number
      if (t < 20) {
        f = (b & c) | (~b & d)
        k = 0x5a827999
      } else if (t < 40) {
        f = b ^ c ^ d
        k = 0x6ed9eba1
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d)
        k = 0x8f1bbcdc
      } else {
        f = b ^ c ^ d
        k = 0xca62c1d6
      }
      const next = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) | 0
      e = d
      d = c
      c = (b << 30) | (b >>> 2)
      b = a
      a = next
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + b) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
  }
  let hex = ''
  for (const h of [h0, h1, h2, h3, h4]) hex += (h >>> 0).toString(16).padStart(8, '0')
  return hex
}
