import { describe } from './algorithms.js'
import { base64urlProblem, isBase64urlAlphabet, isCanonicalBase64url } from './base64url.js'
import { JwtError } from './errors.js'

/** Checks that the token is a string of at most `maxTokenLength` characters. */
export function checkTokenString(token: unknown, maxTokenLength: number): asserts token is string {
  if (typeof token !== 'string') {
    // A JwtError, not a TypeError: the token is attacker-controlled input (a missing header
    // yields undefined), and callers map JwtError to 401, anything else to 500.
    throw new JwtError('ERR_JWT_MALFORMED', `the token must be a string, got ${describe(token)}`)
  }
  if (token.length > maxTokenLength) {
    throw new JwtError(
      'ERR_JWT_TOO_LONG',
      `the token is ${token.length} characters, more than maxTokenLength (${maxTokenLength})`,
    )
  }
}

/**
 * Checks the shape of a compact JWS before anything is decoded and returns the positions of its
 * two dots. The length limit comes first so that a hostile multi-megabyte string costs one
 * comparison, not a scan.
 */
export function splitToken(token: unknown, maxTokenLength: number): [dot1: number, dot2: number] {
  checkTokenString(token, maxTokenLength)
  const dot1 = token.indexOf('.')
  const dot2 = dot1 === -1 ? -1 : token.indexOf('.', dot1 + 1)
  if (dot2 === -1 || token.indexOf('.', dot2 + 1) !== -1) {
    throw new JwtError(
      'ERR_JWT_MALFORMED',
      'a JWS in compact form has exactly three segments separated by dots',
    )
  }
  return [dot1, dot2]
}

/** Checks the payload segment's encoding (before the MAC, which is computed over its characters). */
export function checkPayloadSegment(segment: string): void {
  if (!isCanonicalBase64url(segment)) {
    throw new JwtError('ERR_JWT_MALFORMED', `the payload segment ${base64urlProblem(segment)}`)
  }
}

/** Checks the signature segment's encoding and its length for the algorithm. */
export function checkSignatureSegment(segment: string, signatureLength: number, alg: string): void {
  const canonical = isCanonicalBase64url(segment)
  if (canonical && segment.length === signatureLength) return
  if (segment.length !== signatureLength && (canonical || isBase64urlAlphabet(segment))) {
    throw new JwtError(
      'ERR_JWS_SIGNATURE_INVALID',
      `an ${alg} signature is ${signatureLength} base64url characters, got ${segment.length}`,
    )
  }
  throw new JwtError('ERR_JWT_MALFORMED', `the signature segment ${base64urlProblem(segment)}`)
}
