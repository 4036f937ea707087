/**
 * Every failure `verify`, `sign` (key rules) and `decodeUnverified` report as a {@link JwtError}.
 * The list is stable: codes are added in minor versions, never renamed or removed.
 *
 * @example
 * ```ts
 * import { JWT_ERROR_CODES } from '@hotpath/jwt-lite'
 * const failures = Object.fromEntries(JWT_ERROR_CODES.map((code) => [code, 0])) // a counter per code
 * ```
 */
export const JWT_ERROR_CODES: readonly JwtErrorCode[] = [
  'ERR_JWT_TOO_LONG',
  'ERR_JWT_MALFORMED',
  'ERR_JWT_INVALID_JSON',
  'ERR_JWT_DUPLICATE_MEMBER',
  'ERR_JWT_FORBIDDEN_MEMBER',
  'ERR_JWS_ALG_NOT_ALLOWED',
  'ERR_JWS_ALG_MISMATCH',
  'ERR_JWS_HEADER_INVALID',
  'ERR_JWS_CRIT_UNSUPPORTED',
  'ERR_JWS_B64_UNSUPPORTED',
  'ERR_JWS_SIGNATURE_INVALID',
  'ERR_JWT_KEY_INVALID',
  'ERR_JWT_KEY_TOO_SHORT',
  'ERR_JWT_KEY_NOT_FOUND',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_NOT_YET_VALID',
  'ERR_JWT_CLAIM_INVALID',
  'ERR_JWT_REVOKED',
]

/**
 * The stable `code` of a {@link JwtError}; `switch (err.code)` narrows on it.
 *
 * - `ERR_JWT_TOO_LONG`: longer than `maxTokenLength` (checked before any decoding).
 * - `ERR_JWT_MALFORMED`: not three non-empty segments, or a segment is not canonical base64url.
 * - `ERR_JWT_INVALID_JSON`: header or payload is not UTF-8, not JSON, or not a JSON object.
 * - `ERR_JWT_DUPLICATE_MEMBER`: a JSON object names the same member twice.
 * - `ERR_JWT_FORBIDDEN_MEMBER`: a member is named `__proto__`, `constructor` or `prototype`.
 * - `ERR_JWS_ALG_NOT_ALLOWED`: `alg` is not exactly one of the allowed algorithms (`none` never is).
 * - `ERR_JWS_ALG_MISMATCH`: the key selected for the token is bound to a different algorithm.
 * - `ERR_JWS_HEADER_INVALID`: `alg` missing, or `kid` / `typ` not a bounded string.
 * - `ERR_JWS_CRIT_UNSUPPORTED`: the header has `crit`.
 * - `ERR_JWS_B64_UNSUPPORTED`: the header has `b64` other than `true` (RFC 7797 unencoded payload).
 * - `ERR_JWS_SIGNATURE_INVALID`: wrong signature length or the MAC does not match.
 * - `ERR_JWT_KEY_INVALID`: empty key, PEM / JWK / SSH text, or an asymmetric key.
 * - `ERR_JWT_KEY_TOO_SHORT`: fewer bytes than the hash size (RFC 7518 section 3.2).
 * - `ERR_JWT_KEY_NOT_FOUND`: no key for the token's `kid`.
 * - `ERR_JWT_EXPIRED`: `exp` has passed, or `iat` is older than `maxAge`.
 * - `ERR_JWT_NOT_YET_VALID`: `nbf` is in the future.
 * - `ERR_JWT_CLAIM_INVALID`: a claim is missing, has the wrong type or the wrong value.
 * - `ERR_JWT_REVOKED`: `isRevoked` returned true.
 */
export type JwtErrorCode =
  | 'ERR_JWT_TOO_LONG'
  | 'ERR_JWT_MALFORMED'
  | 'ERR_JWT_INVALID_JSON'
  | 'ERR_JWT_DUPLICATE_MEMBER'
  | 'ERR_JWT_FORBIDDEN_MEMBER'
  | 'ERR_JWS_ALG_NOT_ALLOWED'
  | 'ERR_JWS_ALG_MISMATCH'
  | 'ERR_JWS_HEADER_INVALID'
  | 'ERR_JWS_CRIT_UNSUPPORTED'
  | 'ERR_JWS_B64_UNSUPPORTED'
  | 'ERR_JWS_SIGNATURE_INVALID'
  | 'ERR_JWT_KEY_INVALID'
  | 'ERR_JWT_KEY_TOO_SHORT'
  | 'ERR_JWT_KEY_NOT_FOUND'
  | JwtClaimErrorCode
  | 'ERR_JWT_REVOKED'

/** The codes of claim failures, always thrown as {@link JwtClaimError}. */
export type JwtClaimErrorCode = 'ERR_JWT_EXPIRED' | 'ERR_JWT_NOT_YET_VALID' | 'ERR_JWT_CLAIM_INVALID'

/**
 * Why a claim failed:
 * `missing` (required but absent), `invalid` (wrong type, e.g. a string `exp`),
 * `mismatch` (not the configured `iss` / `aud` / `sub` / `typ`), `expired` (`exp` passed),
 * `max_age` (`iat` older than `maxAge`), `not_yet_valid` (`nbf` in the future), `future` (`iat` in the future).
 */
export type JwtClaimReason =
  | 'missing'
  | 'invalid'
  | 'mismatch'
  | 'expired'
  | 'max_age'
  | 'not_yet_valid'
  | 'future'

/**
 * The one error class of `@hotpath/jwt-lite` for token and key failures. Wrong arguments
 * (a bad option, a non-object payload) throw `TypeError` / `RangeError` instead, so a
 * `JwtError` always means "this token or key is not acceptable", never "this code is wrong".
 *
 * @example
 * ```ts
 * import { JwtError, verify } from '@hotpath/jwt-lite'
 * try {
 *   verify(token, key)
 * } catch (err) {
 *   if (!(err instanceof JwtError)) throw err
 *   switch (err.code) {
 *     case 'ERR_JWT_EXPIRED': return reply(401, 'token expired, refresh it')
 *     default: return reply(401, 'invalid token')
 *   }
 * }
 * ```
 */
export class JwtError extends Error {
  /** The stable machine-readable reason; see {@link JwtErrorCode}. */
  readonly code: JwtErrorCode

  constructor(code: JwtErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'JwtError'
    this.code = code
  }
}

/**
 * A claim check failed after the signature was verified, so `payload` and `header` are
 * authentic (but must not be trusted for authorization: the token is not valid).
 *
 * @example
 * ```ts
 * import { JwtClaimError, verify } from '@hotpath/jwt-lite'
 * try {
 *   verify(token, key, { audience: 'api' })
 * } catch (err) {
 *   if (err instanceof JwtClaimError) console.log(err.code, err.claim, err.reason) // 'ERR_JWT_CLAIM_INVALID' 'aud' 'mismatch'
 * }
 * ```
 */
export class JwtClaimError extends JwtError {
  declare readonly code: JwtClaimErrorCode
  /** The claim that failed: `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`, `jti`, `typ` (the header's) or a required claim's name. */
  readonly claim: string
  /** Why it failed. */
  readonly reason: JwtClaimReason
  /** The verified payload of the rejected token. */
  readonly payload: Readonly<Record<string, unknown>>

  constructor(
    code: JwtClaimErrorCode,
    claim: string,
    reason: JwtClaimReason,
    message: string,
    payload: Readonly<Record<string, unknown>>,
  ) {
    super(code, message)
    this.name = 'JwtClaimError'
    this.claim = claim
    this.reason = reason
    this.payload = payload
  }
}
