// UTF-8 encoding into one reusable scratch buffer, so hashing a non-ASCII key allocates nothing
// once the buffer is large enough. The hash functions try an ASCII fast path first (reading
// charCodeAt directly) and only come here when they meet a code unit >= 0x80.

// Keys longer than this are encoded into a throwaway buffer, so one huge key cannot pin a
// huge scratch buffer for the life of the process.
const MAX_RETAINED = 1 << 16

let scratch = new Uint8Array(256)

/**
 * Encodes `s` as UTF-8 (lone surrogates become U+FFFD, as `TextEncoder` and Node's `Buffer` do)
 * and returns the byte count; the bytes are in `encoded.bytes`, valid until the next call.
 * @internal
 */
export function encodeUtf8(s: string): number {
  const worst = s.length * 3
  let out = scratch
  if (worst > out.length) {
    if (worst > MAX_RETAINED) out = new Uint8Array(worst)
    else {
      let size = out.length
      while (size < worst) size *= 2
      out = scratch = new Uint8Array(size)
    }
  }
  let p = 0
  const n = s.length
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      out[p++] = c
    } else if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6)
      out[p++] = 0x80 | (c & 0x3f)
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
          out[p++] = 0xf0 | (cp >> 18)
          out[p++] = 0x80 | ((cp >> 12) & 0x3f)
          out[p++] = 0x80 | ((cp >> 6) & 0x3f)
          out[p++] = 0x80 | (cp & 0x3f)
          i++
          continue
        }
        c = 0xfffd
      }
      out[p++] = 0xe0 | (c >> 12)
      out[p++] = 0x80 | ((c >> 6) & 0x3f)
      out[p++] = 0x80 | (c & 0x3f)
    }
  }
  encoded.bytes = out
  return p
}

/** Where {@link encodeUtf8} left its output (a shared buffer). @internal */
export const encoded: { bytes: Uint8Array } = { bytes: scratch }
