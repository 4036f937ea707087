import { JwtError } from './errors.js'

// fatal: invalid UTF-8 is an error, not silently U+FFFD (two different byte strings must never
// decode to the same claims). ignoreBOM: a leading BOM stays in the text, where JSON.parse
// rejects it, as Buffer#toString would; otherwise the two entries would disagree.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Shared encoder (UTF-8). */
export const utf8Encoder: { encode(input: string): Uint8Array } = new TextEncoder()

/** Decodes UTF-8 strictly; `part` names the segment in the error. */
export function decodeUtf8(bytes: Uint8Array, part: 'header' | 'payload'): string {
  try {
    return decoder.decode(bytes)
  } catch {
    throw new JwtError('ERR_JWT_INVALID_JSON', `the ${part} is not valid UTF-8`)
  }
}
