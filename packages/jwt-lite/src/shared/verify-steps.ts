import { describe } from './algorithms.js'
import { base64urlProblem } from './base64url.js'
import { checkClaims } from './claims.js'
import { JwtError } from './errors.js'
import { deepFreeze, HeaderReader, type VerifiedHeader } from './header.js'
import { parseJsonObject } from './json.js'
import { declaredAlgorithms, type KeyPlatform, type KeySource, keySource } from './keys.js'
import { optionsObject, type VerifyPolicy, verifyPolicy } from './policy.js'
import { checkSignatureSegment, splitToken } from './token.js'
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
  /** The payload segment's bytes: base64url-decoded, not yet interpreted. */
  readonly payloadBytes: Uint8Array
}

/**
 * Decodes a payload segment that must be canonical base64url, or throws ERR_JWT_MALFORMED. The
 * entries differ: node decodes with Buffer (native, but lenient, so it re-encodes and compares),
 * the web entry checks the alphabet and then decodes in plain JavaScript.
 */
export type PayloadDecoder = (segment: string) => Uint8Array | undefined

/**
 * Everything that can be checked before the MAC, cheapest first: length, three segments, the
 * header (decoded once per distinct segment), the signature's length and encoding, the payload
 * segment's encoding. The payload bytes are decoded here but not interpreted.
 */
export function checkToken(
  token: string,
  policy: VerifyPolicy,
  headers: HeaderReader,
  decodePayload: PayloadDecoder,
): CheckedToken {
  const [dot1, dot2] = splitToken(token, policy.maxTokenLength)
  const header = headers.read(token.slice(0, dot1))
  const signature = token.slice(dot2 + 1)
  checkSignatureSegment(signature, header.info.signatureLength, header.info.name)
  const payloadSegment = token.slice(dot1 + 1, dot2)
  const payloadBytes = payloadSegment.length === 0 ? undefined : decodePayload(payloadSegment)
  if (payloadBytes === undefined) {
    throw new JwtError('ERR_JWT_MALFORMED', `the payload segment ${base64urlProblem(payloadSegment)}`)
  }
  return { header, signingInputLength: dot2, signature, payloadBytes }
}

/** The error for a MAC mismatch. */
export function signatureMismatch(): JwtError {
  return new JwtError('ERR_JWS_SIGNATURE_INVALID', 'the signature does not match')
}

/** After the MAC matched: decode the payload bytes, parse them strictly, check the claims. */
export function acceptPayload(token: CheckedToken, policy: VerifyPolicy, nowMs: number): VerifyResult {
  const payload = parseJsonObject(decodeUtf8(token.payloadBytes, 'payload'), 'payload')
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
