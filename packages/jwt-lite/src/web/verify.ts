import { base64urlDecode, base64urlEncode, isCanonicalBase64url } from '../shared/base64url.js'
import type { KeyEntry } from '../shared/key-rules.js'
import { bindResolved, selectKey } from '../shared/keys.js'
import { optionsObject } from '../shared/policy.js'
import { checkTokenString } from '../shared/token.js'
import type { JwtHeader, JwtPayload, VerifyOptionsBase, VerifyResult } from '../shared/types.js'
import { utf8Encoder } from '../shared/utf8.js'
import {
  acceptPayload,
  checkToken,
  remember,
  revocationVerdict,
  setUpVerifier,
  signatureMismatch,
} from '../shared/verify-steps.js'
import { type WebKeyInput, webCrypto, webKeys } from './webcrypto.js'

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>

/**
 * Picks the key for a token from its verified header; may be async (e.g. a lookup in a KV store).
 *
 * @example
 * ```ts
 * import { createVerifier, type WebKeyResolver } from '@hotpath/jwt-lite/web'
 * const resolve: WebKeyResolver = async (header) => keys.get(header.kid ?? '')
 * const verifyToken = createVerifier({ key: resolve })
 * ```
 */
export type WebKeyResolver = (header: JwtHeader) => Awaitable<WebKeyInput | KeyEntry<WebKeyInput> | undefined>

/** The verification key(s), as in the node entry, with WebCrypto key types. */
export type WebVerifyKey =
  | WebKeyInput
  | KeyEntry<WebKeyInput>
  | ReadonlyMap<string, WebKeyInput | KeyEntry<WebKeyInput>>
  | WebKeyResolver

/** Options of the web {@link verify}. */
export interface WebVerifyOptions extends VerifyOptionsBase {
  /** Called after every other check passed (also on cache hits); resolve to true to reject with `ERR_JWT_REVOKED`. */
  isRevoked?: (payload: JwtPayload, header: JwtHeader) => Awaitable<boolean>
}

/** Options of the web {@link createVerifier}. */
export interface WebVerifierOptions extends WebVerifyOptions {
  /** The key, a `{ key, algorithm }` entry, a Map of kid to those, or a (possibly async) resolver function. */
  key: WebVerifyKey
  /** Remember verified tokens by SHA-256 of the whole token, never past `exp`: `true` (1000) or a number. */
  cache?: boolean | number
}

/** Verifies a token. Created by the web {@link createVerifier}. */
export interface WebVerifier<P = JwtPayload> {
  (token: string): Promise<VerifyResult<P>>
  /** Forgets every cached result (no-op without a cache). */
  clearCache(): void
}

const VERIFY_KEYS = webKeys('verify')

function decodePayloadSegment(segment: string): Uint8Array | undefined {
  return isCanonicalBase64url(segment) ? base64urlDecode(segment) : undefined
}

/**
 * Validates the options and checks the key(s) synchronously, imports them into WebCrypto once,
 * and returns an async function that verifies with exactly the checks and error codes of the
 * node entry; the MAC is checked by `crypto.subtle.verify` (constant time).
 *
 * @example
 * ```ts
 * import { createVerifier } from '@hotpath/jwt-lite/web'
 * const verifyAccess = createVerifier({ key: secretBytes, audience: 'api' })
 * const { payload } = await verifyAccess(token) // rejects with JwtError
 * ```
 */
export function createVerifier<P = JwtPayload>(options: WebVerifierOptions): WebVerifier<P> {
  const { policy, source, headers, isRevoked, cache } = setUpVerifier(options, VERIFY_KEYS)
  const now = policy.now

  const verifyOnce = async (token: string, nowMs: number): Promise<VerifyResult> => {
    const checked = checkToken(token, policy, headers, decodePayloadSegment)
    const key =
      source.kind === 'resolver'
        ? bindResolved(
            await source.resolve(checked.header.header),
            checked.header,
            source,
            policy,
            VERIFY_KEYS,
          )
        : selectKey(source, checked.header)
    const valid = await webCrypto().subtle.verify(
      'HMAC',
      await key.prepared,
      base64urlDecode(checked.signature),
      utf8Encoder.encode(token.slice(0, checked.signingInputLength)),
    )
    if (!valid) throw signatureMismatch()
    // Only now, with the MAC verified, is the payload decoded: forged tokens never reach JSON.parse.
    return acceptPayload(checked, policy, nowMs)
  }

  const verifier = async (token: string): Promise<VerifyResult<P>> => {
    let result: VerifyResult | undefined
    if (cache === undefined) {
      result = await verifyOnce(token, now())
    } else {
      checkTokenString(token, policy.maxTokenLength)
      const nowMs = now()
      const digest = base64urlEncode(
        new Uint8Array(await webCrypto().subtle.digest('SHA-256', utf8Encoder.encode(token))),
      )
      result = cache.get(digest, nowMs) as VerifyResult | undefined
      if (result === undefined) {
        result = await verifyOnce(token, nowMs)
        remember(cache, digest, result, policy, nowMs)
      }
    }
    if (isRevoked !== undefined) revocationVerdict(await isRevoked(result.payload, result.header))
    return result as VerifyResult<P>
  }
  return Object.assign(verifier, { clearCache: () => cache?.clear() })
}

/**
 * Verifies one token (validating options and importing the key each call; prefer {@link createVerifier}).
 *
 * @example
 * ```ts
 * import { verify } from '@hotpath/jwt-lite/web'
 * const { payload } = await verify(token, secretBytes, { issuer: 'auth.example.com' })
 * ```
 */
export async function verify<P = JwtPayload>(
  token: string,
  key: WebVerifyKey,
  options?: WebVerifyOptions,
): Promise<VerifyResult<P>> {
  return createVerifier<P>({ ...optionsObject(options, 'verify'), key } as WebVerifierOptions)(token)
}
