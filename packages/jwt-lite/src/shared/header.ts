import { type AlgorithmInfo, algorithmInfo, describe } from './algorithms.js'
import { base64urlDecode, base64urlProblem, isCanonicalBase64url } from './base64url.js'
import { JwtError } from './errors.js'
import { parseJsonObject } from './json.js'
import { MAX_HEADER_STRING_LENGTH, normalizeTyp, type SignPolicy, type VerifyPolicy } from './policy.js'
import type { JwtHeader } from './types.js'
import { decodeUtf8 } from './utf8.js'

/** The header a signer emits, in a fixed member order, computed once per signer. */
export function headerJson(policy: SignPolicy): string {
  let json = `{"alg":"${policy.info.name}","typ":${JSON.stringify(policy.typ)}`
  if (policy.keyId !== undefined) json += `,"kid":${JSON.stringify(policy.keyId)}`
  return `${json}}`
}

/** A header that passed every check of a verifier's policy. */
export interface VerifiedHeader {
  readonly info: AlgorithmInfo
  readonly kid: string | undefined
  /** Whether `typ` satisfies the policy; reported with the claims, after the signature. */
  readonly typOk: boolean
  /** The header as returned to callers: frozen, because it is shared through the cache. */
  readonly header: JwtHeader
}

// Real traffic carries a handful of distinct headers (one per alg/kid/typ), so a tiny map
// turns header decoding and validation into one lookup. Hostile tokens can only churn it.
const HEADER_CACHE_SIZE = 32

/** Decodes and checks header segments for one verifier policy, remembering recent results. */
export class HeaderReader {
  readonly #policy: VerifyPolicy
  readonly #seen = new Map<string, VerifiedHeader>()

  constructor(policy: VerifyPolicy) {
    this.#policy = policy
  }

  /** The verified header for a segment, or throws the JwtError describing the first problem. */
  read(segment: string): VerifiedHeader {
    const hit = this.#seen.get(segment)
    if (hit !== undefined) return hit
    const verified = readHeader(segment, this.#policy)
    if (this.#seen.size >= HEADER_CACHE_SIZE) this.#seen.clear()
    this.#seen.set(segment, verified)
    return verified
  }
}

/** Decodes a header segment into a JSON object (shared with `decodeUnverified`). */
export function decodeHeaderSegment(segment: string): Record<string, unknown> {
  if (!isCanonicalBase64url(segment)) {
    throw new JwtError('ERR_JWT_MALFORMED', `the header segment ${base64urlProblem(segment)}`)
  }
  return parseJsonObject(decodeUtf8(base64urlDecode(segment), 'header'), 'header')
}

function readHeader(segment: string, policy: VerifyPolicy): VerifiedHeader {
  const header = decodeHeaderSegment(segment)
  const alg = header.alg
  if (alg === undefined) throw new JwtError('ERR_JWS_HEADER_INVALID', 'the header has no "alg"')
  if (typeof alg !== 'string') {
    throw new JwtError('ERR_JWS_HEADER_INVALID', `the header's "alg" must be a string, got ${describe(alg)}`)
  }
  if (alg.toLowerCase() === 'none') {
    throw new JwtError('ERR_JWS_ALG_NOT_ALLOWED', 'unsecured tokens ("alg": "none") are never accepted')
  }
  const info = algorithmInfo(alg)
  if (info === undefined || !policy.algorithms.includes(info)) {
    throw new JwtError(
      'ERR_JWS_ALG_NOT_ALLOWED',
      `"alg" ${describe(alg)} is not allowed (allowed: ${policy.algorithms.map((a) => a.name).join(', ')})`,
    )
  }
  // RFC 7515 4.1.11: a recipient must reject extensions it does not understand; we support none.
  if (header.crit !== undefined) {
    throw new JwtError(
      'ERR_JWS_CRIT_UNSUPPORTED',
      'the header has "crit"; no critical extension is supported',
    )
  }
  // RFC 7797: "b64": false means the payload is not base64url-encoded; such a token must fail.
  if (header.b64 !== undefined && header.b64 !== true) {
    throw new JwtError('ERR_JWS_B64_UNSUPPORTED', 'the header has "b64" other than true (unencoded payloads)')
  }
  const kid = header.kid
  if (kid !== undefined && !boundedString(kid)) {
    throw new JwtError(
      'ERR_JWS_HEADER_INVALID',
      `the header's "kid" must be a non-empty string of at most ${MAX_HEADER_STRING_LENGTH} characters`,
    )
  }
  const typ = header.typ
  if (typ !== undefined && !boundedString(typ)) {
    throw new JwtError(
      'ERR_JWS_HEADER_INVALID',
      `the header's "typ" must be a non-empty string of at most ${MAX_HEADER_STRING_LENGTH} characters`,
    )
  }
  const typOk = policy.typ === undefined || (typ !== undefined && normalizeTyp(typ as string) === policy.typ)
  return Object.freeze({
    info,
    kid: kid as string | undefined,
    typOk,
    header: deepFreeze(header) as unknown as JwtHeader,
  })
}

function boundedString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_HEADER_STRING_LENGTH
}

/** Freezes a JSON value and everything in it (iteratively: JSON nesting depth is unbounded). */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const node = pending.pop()
    if (typeof node === 'object' && node !== null && !Object.isFrozen(node)) {
      Object.freeze(node)
      for (const k of Object.keys(node)) pending.push((node as Record<string, unknown>)[k])
    }
  }
  return value
}
