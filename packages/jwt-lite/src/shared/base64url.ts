// Platform-neutral base64url (RFC 4648 section 5, no padding), used by the ./web entry for
// everything and by both entries for the (cached) header. The node entry decodes payloads with
// Buffer, which is faster but lenient, so every segment passes `isCanonicalBase64url` first.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const VALUES = new Int8Array(128).fill(-1)
for (let i = 0; i < 64; i++) VALUES[ALPHABET.charCodeAt(i)] = i

const ALPHABET_ONLY = /^[A-Za-z0-9_-]+$/

/** True when `s` is non-empty and uses only base64url characters. */
export function isBase64urlAlphabet(s: string): boolean {
  return ALPHABET_ONLY.test(s)
}

/**
 * True when `s` is the one canonical unpadded base64url spelling of some bytes: non-empty,
 * alphabet characters only (no `=`, whitespace, `+` or `/`), a length that is not 1 mod 4, and
 * zero bits in the unused low bits of the last character. Without the last rule four different
 * strings would decode to the same signature (RFC 7515 A.1's last character `k` could also be
 * `l`, `m` or `n`), which breaks any cache or denylist keyed by the token string.
 */
export function isCanonicalBase64url(s: string): boolean {
  if (!ALPHABET_ONLY.test(s)) return false
  const tail = s.length & 3
  if (tail === 0) return true
  if (tail === 1) return false
  const last = VALUES[s.charCodeAt(s.length - 1)]!
  return (last & (tail === 2 ? 0x0f : 0x03)) === 0
}

/** Why `s` is not canonical base64url (called on the error path only). */
export function base64urlProblem(s: string): string {
  if (s.length === 0) return 'is empty'
  if (s.includes('=')) return "has '=' padding"
  if (/\s/.test(s)) return 'contains whitespace'
  if (/[+/]/.test(s)) return "uses the base64 alphabet ('+' or '/'), not base64url"
  if (!ALPHABET_ONLY.test(s)) return 'contains a character outside the base64url alphabet'
  if ((s.length & 3) === 1) return 'has an impossible length'
  return 'is not canonical (unused bits of its last character are set)'
}

/** Decodes canonical base64url (the caller has checked `isCanonicalBase64url`). */
export function base64urlDecode(s: string): Uint8Array {
  const length = s.length
  const out = new Uint8Array((length * 3) >>> 2)
  let o = 0
  let i = 0
  for (; i + 4 <= length; i += 4) {
    const n =
      (VALUES[s.charCodeAt(i)]! << 18) |
      (VALUES[s.charCodeAt(i + 1)]! << 12) |
      (VALUES[s.charCodeAt(i + 2)]! << 6) |
      VALUES[s.charCodeAt(i + 3)]!
    out[o++] = n >>> 16
    out[o++] = (n >>> 8) & 0xff
    out[o++] = n & 0xff
  }
  const tail = length - i
  if (tail >= 2) {
    const n = (VALUES[s.charCodeAt(i)]! << 18) | (VALUES[s.charCodeAt(i + 1)]! << 12)
    out[o++] = n >>> 16
    if (tail === 3) out[o++] = ((n | (VALUES[s.charCodeAt(i + 2)]! << 6)) >>> 8) & 0xff
  }
  return out
}

/** Encodes bytes as unpadded base64url. */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = ''
  const length = bytes.length
  let i = 0
  for (; i + 3 <= length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!
  }
  const tail = length - i
  if (tail === 1) {
    const n = bytes[i]! << 16
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!
  } else if (tail === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!
  }
  return out
}
