import { base64urlDecode, base64urlProblem, isCanonicalBase64url } from './base64url.js'
import { JwtError } from './errors.js'
import { decodeHeaderSegment } from './header.js'
import { parseJsonObject } from './json.js'
import { DEFAULT_MAX_TOKEN_LENGTH, optionsObject, rejectUnknownOptions } from './policy.js'
import { checkPayloadSegment, splitToken } from './token.js'
import type { DecodeOptions } from './types.js'
import { decodeUtf8 } from './utf8.js'

/** What `decodeUnverified` returns: nothing in it is authenticated. */
export interface UnverifiedToken {
  /** The header, as written by whoever made the token. */
  readonly header: Record<string, unknown>
  /** The claims, as written by whoever made the token. */
  readonly payload: Record<string, unknown>
}

const KNOWN: ReadonlySet<string> = new Set(['maxTokenLength'])

/**
 * Decodes a token WITHOUT checking its signature or claims, with the same structural rules as
 * `verify` (three canonical base64url segments, JSON objects, no duplicate or forbidden member
 * names). For logging and debugging, or to read a `kid` or `iss` before choosing how to verify;
 * never for authorization: anyone can write any claims into an unverified token. `verify` does
 * not use it.
 *
 * @example
 * ```ts
 * import { decodeUnverified } from '@hotpath/jwt-lite'
 * const { header, payload } = decodeUnverified(token)
 * console.log(header.kid, payload.iss) // untrusted values
 * ```
 */
export function decodeUnverified(token: string, options?: DecodeOptions): UnverifiedToken {
  const opts = optionsObject(options, 'decodeUnverified')
  rejectUnknownOptions(opts, KNOWN, 'decodeUnverified', [])
  let max = DEFAULT_MAX_TOKEN_LENGTH
  if (opts.maxTokenLength !== undefined) {
    const v = opts.maxTokenLength
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 16) {
      throw new RangeError(`\`maxTokenLength\` must be an integer of at least 16, got ${String(v)}`)
    }
    max = v
  }
  const [dot1, dot2] = splitToken(token, max)
  const header = decodeHeaderSegment(token.slice(0, dot1))
  const payloadSegment = token.slice(dot1 + 1, dot2)
  checkPayloadSegment(payloadSegment)
  const signature = token.slice(dot2 + 1)
  if (!isCanonicalBase64url(signature)) {
    throw new JwtError('ERR_JWT_MALFORMED', `the signature segment ${base64urlProblem(signature)}`)
  }
  const payload = parseJsonObject(decodeUtf8(base64urlDecode(payloadSegment), 'payload'), 'payload')
  return { header, payload }
}
