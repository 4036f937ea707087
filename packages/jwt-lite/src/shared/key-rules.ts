import type { Algorithm, AlgorithmInfo } from './algorithms.js'
import { JwtError } from './errors.js'

/**
 * A key bound to the one algorithm it may be used with (RFC 8725 section 3.1).
 *
 * @example
 * ```ts
 * import { createVerifier, type KeyEntry, type KeyInput } from '@hotpath/jwt-lite'
 * const current: KeyEntry<KeyInput> = { key: secret2025, algorithm: 'HS512' }
 * const verifyToken = createVerifier({ key: new Map([['2025', current]]) })
 * ```
 */
export interface KeyEntry<K> {
  /** The secret. */
  readonly key: K
  /** The only algorithm this key verifies (or signs) with. */
  readonly algorithm: Algorithm
}

const lenientDecoder = new TextDecoder('utf-8')
// Leading junk that must not hide a PEM or JWK: whitespace, zero-width characters, BOM.
const LEADING_JUNK = /^[\s\u200b-\u200d\u2060\ufeff]+/
const SSH_PUBLIC_KEY = /^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-|sk-(?:ssh|ecdsa)-)/

/**
 * Why these bytes are (almost certainly) not an HMAC secret, or undefined. The classic
 * algorithm-confusion attack (CVE-2015-9235 and its many successors) works because a verifier
 * accepts an RSA/EC *public* key, which the attacker knows, as an HMAC secret. Public keys reach
 * an HMAC API as PEM text, JWK JSON or SSH text, so those shapes are refused wherever they
 * appear: a PEM header is searched anywhere, not only at offset 0, since leading junk defeated
 * anchored checks elsewhere (fast-jwt GHSA-ww5h-9m49-7xx4).
 */
export function asymmetricLookingReason(bytes: Uint8Array): string | undefined {
  const text = lenientDecoder.decode(bytes)
  if (text.includes('-----BEGIN'))
    return 'looks like PEM (a public/private key or certificate, not an HMAC secret)'
  const trimmed = text.replace(LEADING_JUNK, '')
  if (SSH_PUBLIC_KEY.test(trimmed)) return 'looks like an SSH public key, not an HMAC secret'
  const first = trimmed.charCodeAt(0)
  if (first === 123 /* { */ || first === 91 /* [ */) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      return undefined
    }
    if (isJwkLike(parsed) || (Array.isArray(parsed) && parsed.some(isJwkLike))) {
      return 'looks like JWK JSON; for an "oct" JWK pass the base64url-decoded bytes of its "k" member'
    }
  }
  return undefined
}

function isJwkLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('kty' in value || 'keys' in value)
}

/**
 * Checks secret bytes for `info`: not empty, not key-shaped text, and at least as long as the
 * hash output (RFC 7518 section 3.2) unless `allowShortKeys` waives that last rule.
 */
export function checkSecretBytes(bytes: Uint8Array, info: AlgorithmInfo, allowShortKeys: boolean): void {
  if (bytes.length === 0) throw new JwtError('ERR_JWT_KEY_INVALID', 'the key is empty')
  const reason = asymmetricLookingReason(bytes)
  if (reason !== undefined) throw new JwtError('ERR_JWT_KEY_INVALID', `the key ${reason}`)
  checkSecretLength(bytes.length, info, allowShortKeys)
}

/** The length rule alone (also used for opaque keys whose bytes cannot be read). */
export function checkSecretLength(length: number, info: AlgorithmInfo, allowShortKeys: boolean): void {
  if (length < info.size && !allowShortKeys) {
    throw new JwtError(
      'ERR_JWT_KEY_TOO_SHORT',
      `${info.name} needs a key of at least ${info.size} bytes (RFC 7518 section 3.2), got ${length}; ` +
        `create one with generateSecret('${info.name}'), or pass \`unsafeAllowShortKeys: true\` for a legacy key`,
    )
  }
}

/** Whether a value is a `{ key, algorithm }` entry rather than bare key material. */
export function isKeyEntry<K>(value: unknown): value is KeyEntry<K> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !ArrayBuffer.isView(value) &&
    'key' in value &&
    'algorithm' in value
  )
}
