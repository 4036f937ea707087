import type { Algorithm } from './algorithms.js'
import type { Clock } from './clock.js'

/** A JOSE header as verified: `alg` is always one of the allowed algorithms. */
export interface JwtHeader {
  /** The algorithm, always one the verifier allows. */
  readonly alg: Algorithm
  /** The token type, e.g. `'JWT'` or `'at+jwt'`. */
  readonly typ?: string
  /** The key id the signer named (an opaque string of at most 256 characters). */
  readonly kid?: string
  /** Any other header parameter, passed through untouched (never used to find a key). */
  readonly [parameter: string]: unknown
}

/**
 * The registered claims of RFC 7519 section 4.1 plus any private claims.
 *
 * @example
 * ```ts
 * import type { JwtPayload } from '@hotpath/jwt-lite'
 * interface AccessClaims extends JwtPayload { scope: string }
 * const { payload } = verifyAccess(token) as { payload: AccessClaims }
 * ```
 */
export interface JwtPayload {
  /** Issuer. */
  iss?: string
  /** Subject: who the token is about, usually a user id. */
  sub?: string
  /** Audience: who the token is for. */
  aud?: string | string[]
  /** Expiration time, NumericDate (seconds since the epoch). */
  exp?: number
  /** Not-before time, NumericDate. */
  nbf?: number
  /** Issued-at time, NumericDate. */
  iat?: number
  /** Token id, for denylists (`isRevoked`). */
  jti?: string
  [claim: string]: unknown
}

/** What a successful verification returns. With a verifier `cache` both objects are frozen and shared. */
export interface VerifyResult<P = JwtPayload> {
  /** The verified header. */
  readonly header: JwtHeader
  /** The verified claims. */
  readonly payload: P & JwtPayload
}

/** Options of `sign` and `createSigner` (both entries). */
export interface SignOptions {
  /** The one algorithm the key is used with. Default `'HS256'`. */
  algorithm?: Algorithm
  /** Lifetime: seconds, or a string such as `'15m'`, `'2h'`, `'7d'`. Sets `exp` = `iat` + this. */
  expiresIn?: number | string
  /** Delay before the token is valid: seconds or `'30s'`. Sets `nbf` = `iat` + this. */
  notBefore?: number | string
  /** Sets `iss`. */
  issuer?: string
  /** Sets `sub`. */
  subject?: string
  /** Sets `aud`. */
  audience?: string | readonly string[]
  /** Sets `jti`. */
  jwtId?: string
  /** Sets the header's `kid`, so verifiers with several keys pick the right one. */
  keyId?: string
  /** The header's `typ`. Default `'JWT'`; RFC 9068 access tokens use `'at+jwt'`. */
  typ?: string
  /** Do not add `iat`. Default `false`. */
  noTimestamp?: boolean
  /** Injectable clock: epoch milliseconds, a `Date`, or a function returning epoch milliseconds. Default `Date.now`. */
  now?: Clock
  /** Refuse to produce tokens longer than this many characters. Default 8192, as `verify`. */
  maxTokenLength?: number
  /** Accept keys shorter than the hash size (RFC 7518 requires at least that). Default `false`. */
  unsafeAllowShortKeys?: boolean
}

/** Options shared by `verify` and `createVerifier` of both entries (everything except `isRevoked`). */
export interface VerifyOptionsBase {
  /**
   * The exact, case-sensitive allowlist of `alg` values. Default: the algorithms the keys are
   * bound to (`['HS256']` for a bare key or a resolver). `'none'` is never accepted.
   */
  algorithms?: readonly Algorithm[]
  /** Required `iss`: one value or a list of accepted values. Makes `iss` required. */
  issuer?: string | readonly string[]
  /** Accepted audiences; the token's `aud` (string or array) must contain one. Makes `aud` required. */
  audience?: string | readonly string[]
  /** Required `sub`. Makes `sub` required. */
  subject?: string
  /** Required header `typ`, compared case-insensitively with an optional `application/` prefix (RFC 8725 section 3.11). */
  typ?: string
  /** Reject tokens whose `iat` is older than this (seconds or `'1h'`). Makes `iat` required. */
  maxAge?: number | string
  /** Allowed clock skew for `exp`, `nbf`, `iat` and `maxAge`: seconds or `'30s'`. Default 0. */
  clockTolerance?: number | string
  /** Injectable clock: epoch milliseconds, a `Date`, or a function returning epoch milliseconds. Default `Date.now`. */
  now?: Clock
  /** Claims that must be present. Default `['exp']`; pass `[]` to accept tokens that never expire. */
  requiredClaims?: readonly string[]
  /** Longest accepted token in characters, checked before any decoding. Default 8192. */
  maxTokenLength?: number
  /** Accept keys shorter than the hash size (RFC 7518 requires at least that). Default `false`. */
  unsafeAllowShortKeys?: boolean
}

/** Options of `decodeUnverified`. */
export interface DecodeOptions {
  /** Longest accepted token in characters. Default 8192. */
  maxTokenLength?: number
}
