import { Buffer } from 'node:buffer'
import * as nodeCrypto from 'node:crypto'
import type { KeyEntry } from '../shared/key-rules.js'
import { bindResolved, selectKey } from '../shared/keys.js'
import { optionsObject } from '../shared/policy.js'
import { checkTokenString } from '../shared/token.js'
import type { JwtHeader, JwtPayload, VerifyOptionsBase, VerifyResult } from '../shared/types.js'
import {
  acceptPayload,
  checkToken,
  remember,
  revocationVerdict,
  setUpVerifier,
  signatureMismatch,
} from '../shared/verify-steps.js'
import { type KeyInput, NODE_KEYS } from './key.js'

/**
 * Picks the key for a token from its verified header (`kid`, `alg`); undefined when there is none.
 * Called only for tokens whose structure and header passed; what it returns is prepared once per
 * returned object (or string), so return the same objects rather than fresh copies.
 *
 * @example
 * ```ts
 * import { createVerifier, type KeyResolver } from '@hotpath/jwt-lite'
 * const resolve: KeyResolver = (header) => keyStore.get(header.kid ?? '') // { key, algorithm } | undefined
 * const verifyToken = createVerifier({ key: resolve, algorithms: ['HS256', 'HS512'] })
 * ```
 */
export type KeyResolver = (header: JwtHeader) => KeyInput | KeyEntry<KeyInput> | undefined

/**
 * The verification key(s): one key (bound to the single allowed algorithm), a `{ key, algorithm }`
 * entry, a Map from `kid` to keys or entries (copied when the verifier is created), or a resolver.
 *
 * @example
 * ```ts
 * import type { VerifyKey } from '@hotpath/jwt-lite'
 * const one: VerifyKey = process.env.JWT_SECRET!
 * const rotating: VerifyKey = new Map([['2024', oldSecret], ['2025', newSecret]])
 * ```
 */
export type VerifyKey =
  | KeyInput
  | KeyEntry<KeyInput>
  | ReadonlyMap<string, KeyInput | KeyEntry<KeyInput>>
  | KeyResolver

/** Options of {@link verify}. */
export interface VerifyOptions extends VerifyOptionsBase {
  /**
   * Called after every other check passed (also on cache hits); return true to reject the token
   * with `ERR_JWT_REVOKED`, e.g. when its `jti` is on a denylist. Must answer synchronously in
   * this entry; the `./web` entry also accepts a Promise.
   */
  isRevoked?: (payload: JwtPayload, header: JwtHeader) => boolean
}

/** Options of {@link createVerifier}: the verify options plus the key(s) and the optional cache. */
export interface VerifierOptions extends VerifyOptions {
  /** The key, a `{ key, algorithm }` entry, a Map of kid to those, or a resolver function. */
  key: VerifyKey
  /**
   * Remember verified tokens (by a SHA-256 digest of the whole token, never past `exp`; tokens
   * without `exp` are not cached): `true` for 1000 entries, or a number. Results are then frozen
   * and shared between calls. Default: off.
   */
  cache?: boolean | number
}

/**
 * Verifies a token. Created by {@link createVerifier}.
 *
 * @example
 * ```ts
 * const verifyAccess = createVerifier({ key: secret, cache: true })
 * const { payload } = verifyAccess(token)
 * verifyAccess.clearCache() // e.g. after retiring a key
 * ```
 */
export interface Verifier<P = JwtPayload> {
  (token: string): VerifyResult<P>
  /** Forgets every cached result (no-op without a cache), e.g. after rotating keys away. */
  clearCache(): void
}

type OneShotHash = (algorithm: string, data: string, outputEncoding: string) => string
const oneShotHash = (nodeCrypto as { hash?: OneShotHash }).hash
const tokenDigest: (token: string) => string =
  oneShotHash === undefined
    ? (token) => nodeCrypto.createHash('sha256').update(token).digest('binary')
    : (token) => oneShotHash('sha256', token, 'latin1')

/**
 * Buffer decodes base64url natively but leniently (it skips or truncates what it does not
 * know, and accepts '+', '/' and padding), so the segment is canonical exactly when re-encoding
 * the bytes gives the segment back. One native decode, one native encode and a string compare:
 * cheaper than a regular expression over a 1 KiB payload, and it also proves the segment is
 * ASCII, which makes the latin1 write of the MAC input exact.
 */
function decodePayloadSegment(segment: string): Uint8Array | undefined {
  const bytes = Buffer.from(segment, 'base64url')
  return bytes.toString('base64url') === segment ? bytes : undefined
}

/**
 * Validates the options and prepares the key(s) once, and returns a function that verifies: the
 * fast path. In order: length, three segments, header (cached per distinct header segment),
 * signature and payload encoding, key selection, the MAC in constant time, and only then the
 * payload is decoded, parsed and its claims checked, then `isRevoked`.
 *
 * @example
 * ```ts
 * import { createVerifier } from '@hotpath/jwt-lite'
 * const verifyAccess = createVerifier({ key: secret, issuer: 'auth.example.com', audience: 'api' })
 * const { payload } = verifyAccess(token) // throws JwtError
 * ```
 */
export function createVerifier<P = JwtPayload>(options: VerifierOptions): Verifier<P> {
  const { policy, source, headers, isRevoked, cache } = setUpVerifier(options, NODE_KEYS)
  const now = policy.now

  const verifyOnce = (token: string, nowMs: number): VerifyResult => {
    const checked = checkToken(token, policy, headers, decodePayloadSegment)
    const key =
      source.kind === 'resolver'
        ? bindResolved(source.resolve(checked.header.header), checked.header, source, policy, NODE_KEYS)
        : selectKey(source, checked.header)
    if (!key.prepared.verify(token, checked.signingInputLength, checked.signature)) throw signatureMismatch()
    // Only now, with the MAC verified, is the payload decoded: forged tokens never reach JSON.parse.
    return acceptPayload(checked, policy, nowMs)
  }

  if (cache === undefined) {
    const verifier = (token: string): VerifyResult<P> => {
      const result = verifyOnce(token, now())
      if (isRevoked !== undefined) revocationVerdict(isRevoked(result.payload, result.header))
      return result as VerifyResult<P>
    }
    return Object.assign(verifier, { clearCache() {} })
  }

  const verifier = (token: string): VerifyResult<P> => {
    checkTokenString(token, policy.maxTokenLength)
    const nowMs = now()
    const digest = tokenDigest(token)
    let result = cache.get(digest, nowMs) as VerifyResult | undefined
    if (result === undefined) {
      result = verifyOnce(token, nowMs)
      remember(cache, digest, result, policy, nowMs)
    }
    if (isRevoked !== undefined) revocationVerdict(isRevoked(result.payload, result.header))
    return result as VerifyResult<P>
  }
  return Object.assign(verifier, { clearCache: () => cache.clear() })
}

/**
 * Verifies one token. Validates the options and prepares the key on every call; on a hot path,
 * {@link createVerifier} does that once.
 *
 * @example
 * ```ts
 * import { JwtError, verify } from '@hotpath/jwt-lite'
 * try {
 *   const { payload } = verify(token, process.env.JWT_SECRET!, { audience: 'api' })
 *   console.log(payload.sub)
 * } catch (err) {
 *   if (err instanceof JwtError) console.log(err.code) // e.g. 'ERR_JWT_EXPIRED'
 *   else throw err
 * }
 * ```
 */
export function verify<P = JwtPayload>(
  token: string,
  key: VerifyKey,
  options?: VerifyOptions,
): VerifyResult<P> {
  return createVerifier<P>({ ...optionsObject(options, 'verify'), key } as VerifierOptions)(token)
}
