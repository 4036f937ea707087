import { describe } from './algorithms.js'
import { checkClaims } from './claims.js'
import { JwtError } from './errors.js'
import { deepFreeze, HeaderReader, type VerifiedHeader } from './header.js'
import { parseJsonObject } from './json.js'
import { declaredAlgorithms, type KeyPlatform, type KeySource, keySource } from './keys.js'
import { optionsObject, type VerifyPolicy, verifyPolicy } from './policy.js'
import { checkPayloadSegment, checkSignatureSegment, splitToken } from './token.js'
import type { JwtHeader, JwtPayload, VerifyResult } from './types.js'
import { decodeUtf8 } from './utf8.js'
import { cacheSizeOption, cacheWindow, VerifiedCache } from './verified-cache.js'

// The verification pipeline both entries run, minus what differs: choosing the key (a resolver
// may be async on the web), computing the MAC (node:crypto vs WebCrypto) and base64url-decoding
// the payload (Buffer vs plain JS). Each entry's verify is these steps with its own glue.

/** A token whose structure, header and segment encodings passed; nothing is authenticated yet. */
export interface CheckedToken {
  readonly header: VerifiedHeader
  /** Length of the signing input (header.payload), which is also the index of the second dot. */
  readonly signingInputLength: number
  readonly signature: string
  readonly payloadSegment: string
}

/**
 * Everything that can be checked before the MAC, cheapest first: length, three segments, the
 * header (decoded once per distinct segment), the signature's length and encoding, the payload
 * segment's encoding. The payload itself is not decoded here.
 */
export function checkToken(token: string, policy: VerifyPolicy, headers: HeaderReader): CheckedToken {
  const [dot1, dot2] = splitToken(token, policy.maxTokenLength)
  const header = headers.read(token.slice(0, dot1))
  const signature = token.slice(dot2 + 1)
  checkSignatureSegment(signature, header.info.signatureLength, header.info.name)
  const payloadSegment = token.slice(dot1 + 1, dot2)
  checkPayloadSegment(payloadSegment)
  return { header, signingInputLength: dot2, signature, payloadSegment }
}

/** The error for a MAC mismatch. */
export function signatureMismatch(): JwtError {
  return new JwtError('ERR_JWS_SIGNATURE_INVALID', 'the signature does not match')
}

/** After the MAC matched: decode the payload bytes, parse them strictly, check the claims. */
export function acceptPayload(
  token: CheckedToken,
  payloadBytes: Uint8Array,
  policy: VerifyPolicy,
  nowMs: number,
): VerifyResult {
  const payload = parseJsonObject(decodeUtf8(payloadBytes, 'payload'), 'payload')
  checkClaims(payload, token.header, policy, nowMs)
  return { header: token.header.header, payload }
}

/** Stores a fresh result if it has a bounded lifetime left; frozen because hits share it. */
export function remember(
  cache: VerifiedCache,
  digest: string,
  result: VerifyResult,
  policy: VerifyPolicy,
  nowMs: number,
): void {
  const window = cacheWindow(result.payload, policy.maxAge, policy.clockTolerance)
  if (window !== undefined && window[1] > nowMs) {
    deepFreeze(result)
    cache.set(digest, result, window[0], window[1])
  }
}

/** Interprets what `isRevoked` answered. */
export function revocationVerdict(answer: unknown): void {
  if (answer === true) throw new JwtError('ERR_JWT_REVOKED', 'the token has been revoked')
  if (answer !== false) {
    throw new TypeError(
      typeof (answer as { then?: unknown } | null)?.then === 'function'
        ? '`isRevoked` returned a Promise; the default entry is synchronous: check after verify, or use @hotpath/jwt-lite/web'
        : `\`isRevoked\` must return a boolean, got ${describe(answer)}`,
    )
  }
}

/** What a verifier needs, validated once. */
export interface VerifierSetup<P> {
  readonly policy: VerifyPolicy
  readonly source: KeySource<P>
  readonly headers: HeaderReader
  readonly isRevoked: ((payload: JwtPayload, header: JwtHeader) => unknown) | undefined
  readonly cache: VerifiedCache | undefined
}

/** Validates `createVerifier` options (both entries) and prepares the keys. */
export function setUpVerifier<K, P>(options: unknown, platform: KeyPlatform<K, P>): VerifierSetup<P> {
  const { key, cache, ...rest } = optionsObject(options, 'createVerifier')
  const policy = verifyPolicy(rest, 'createVerifier', declaredAlgorithms(key), ['key', 'cache'])
  const isRevoked = rest.isRevoked
  if (isRevoked !== undefined && typeof isRevoked !== 'function') {
    throw new TypeError(`\`isRevoked\` must be a function, got ${describe(isRevoked)}`)
  }
  const cacheSize = cacheSizeOption(cache)
  return {
    policy,
    source: keySource(key, policy, platform),
    headers: new HeaderReader(policy),
    isRevoked: isRevoked as VerifierSetup<P>['isRevoked'],
    cache: cacheSize === 0 ? undefined : new VerifiedCache(cacheSize),
  }
}
