/** The only JWS algorithms this package implements: HMAC with SHA-2 (RFC 7518 section 3.2). */
export type Algorithm = 'HS256' | 'HS384' | 'HS512'

/** Everything the code needs to know about one algorithm, computed once. */
export interface AlgorithmInfo {
  readonly name: Algorithm
  /** node:crypto digest name. */
  readonly hash: 'sha256' | 'sha384' | 'sha512'
  /** WebCrypto digest name. */
  readonly webHash: 'SHA-256' | 'SHA-384' | 'SHA-512'
  /** MAC and minimum key length in bytes. */
  readonly size: 32 | 48 | 64
  /** The hash's block size in bytes (HMAC pads the key to it). */
  readonly blockSize: 64 | 128
  /** Length of the signature segment: unpadded base64url of `size` bytes. */
  readonly signatureLength: 43 | 64 | 86
}

const HS256: AlgorithmInfo = Object.freeze({
  name: 'HS256',
  hash: 'sha256',
  webHash: 'SHA-256',
  size: 32,
  blockSize: 64,
  signatureLength: 43,
})
const HS384: AlgorithmInfo = Object.freeze({
  name: 'HS384',
  hash: 'sha384',
  webHash: 'SHA-384',
  size: 48,
  blockSize: 128,
  signatureLength: 64,
})
const HS512: AlgorithmInfo = Object.freeze({
  name: 'HS512',
  hash: 'sha512',
  webHash: 'SHA-512',
  size: 64,
  blockSize: 128,
  signatureLength: 86,
})

/**
 * The supported algorithms, strongest last.
 *
 * @example
 * ```ts
 * import { ALGORITHMS } from '@hotpath/jwt-lite'
 * ALGORITHMS.includes(header.alg) // false for 'none', 'RS256', 'hs256'
 * ```
 */
export const ALGORITHMS: readonly Algorithm[] = Object.freeze(['HS256', 'HS384', 'HS512'] as const)

/**
 * Exact, case-sensitive lookup. A `switch` on string literals rather than an object index so
 * that names such as `toString` or `__proto__` can never resolve to something.
 */
export function algorithmInfo(name: unknown): AlgorithmInfo | undefined {
  switch (name) {
    case 'HS256':
      return HS256
    case 'HS384':
      return HS384
    case 'HS512':
      return HS512
    default:
      return undefined
  }
}

/** Validates an `algorithm` option (programmer input, hence TypeError). */
export function algorithmOption(value: unknown, option: string): AlgorithmInfo {
  const info = algorithmInfo(value)
  if (info === undefined) {
    throw new TypeError(`\`${option}\` must be one of 'HS256', 'HS384', 'HS512', got ${describe(value)}`)
  }
  return info
}

/** A short, safe rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)
  }
  if (typeof value === 'bigint') return `${value}n`
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? 'a function' : String(value)
  }
  if (Array.isArray(value)) return 'an array'
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name
  return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object'
}
