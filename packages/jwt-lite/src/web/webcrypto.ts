import type { AlgorithmInfo } from '../shared/algorithms.js'
import { JwtError } from '../shared/errors.js'
import { checkSecretBytes, checkSecretLength } from '../shared/key-rules.js'
import type { KeyPlatform } from '../shared/keys.js'
import { utf8Encoder } from '../shared/utf8.js'

/**
 * The part of a WebCrypto `CryptoKey` this entry reads. Declared here rather than taken from the
 * DOM typings so that the entry's types need neither `lib: ["dom"]` nor `@types/node`; every
 * real CryptoKey satisfies it.
 */
export interface WebCryptoKey {
  /** `'secret'` for HMAC keys; `'public'` and `'private'` keys are refused. */
  readonly type: string
  /** The key's algorithm: `{ name: 'HMAC', hash: { name: 'SHA-256' }, length }` for an HS256 key. */
  readonly algorithm: {
    /** The algorithm name, `'HMAC'` for a usable key. */
    readonly name: string
  }
  /** Whether the raw key can be exported (irrelevant here). */
  readonly extractable: boolean
  /** What the key may do: a signer's key needs `'sign'`, a verifier's `'verify'`. */
  readonly usages: readonly string[]
}

interface HmacKeyAlgorithm {
  readonly name: string
  readonly hash?: { readonly name: string }
  readonly length?: number
}

/** The subset of SubtleCrypto used here. */
interface Subtle {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'HMAC'; hash: string },
    extractable: boolean,
    usages: string[],
  ): Promise<WebCryptoKey>
  sign(algorithm: 'HMAC', key: WebCryptoKey, data: Uint8Array): Promise<ArrayBuffer>
  verify(algorithm: 'HMAC', key: WebCryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>
}

interface WebCryptoGlobal {
  readonly subtle?: Subtle
  getRandomValues<T extends Uint8Array>(array: T): T
}

/** globalThis.crypto, or a TypeError saying why it is missing. */
export function webCrypto(): WebCryptoGlobal & { readonly subtle: Subtle } {
  const c = (globalThis as { crypto?: WebCryptoGlobal }).crypto
  if (c?.subtle === undefined) {
    throw new TypeError(
      'WebCrypto is not available (globalThis.crypto.subtle); browsers expose it only in secure contexts (https or localhost)',
    )
  }
  return c as WebCryptoGlobal & { readonly subtle: Subtle }
}

/**
 * HMAC key material for the ./web entry: bytes, a string taken as UTF-8, or an HMAC CryptoKey.
 *
 * @example
 * ```ts
 * import type { WebKeyInput } from '@hotpath/jwt-lite/web'
 * const key: WebKeyInput = await crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
 * ```
 */
export type WebKeyInput = Uint8Array | string | WebCryptoKey

function isCryptoKey(value: unknown): value is WebCryptoKey {
  const ctor = (globalThis as { CryptoKey?: abstract new () => unknown }).CryptoKey
  if (ctor !== undefined) return value instanceof ctor
  return (
    typeof value === 'object' &&
    value !== null &&
    'algorithm' in value &&
    'usages' in value &&
    'type' in value
  )
}

function isMaterial(value: unknown): value is WebKeyInput {
  return typeof value === 'string' || value instanceof Uint8Array || isCryptoKey(value)
}

function checkCryptoKey(
  key: WebCryptoKey,
  info: AlgorithmInfo,
  allowShortKeys: boolean,
  usage: string,
): void {
  if (key.type !== 'secret') {
    throw new JwtError(
      'ERR_JWT_KEY_INVALID',
      `an asymmetric CryptoKey (${key.type} key) cannot be an HMAC secret`,
    )
  }
  const algorithm = key.algorithm as HmacKeyAlgorithm
  if (algorithm.name !== 'HMAC' || algorithm.hash?.name !== info.webHash) {
    throw new JwtError(
      'ERR_JWT_KEY_INVALID',
      `the CryptoKey is for ${algorithm.name}${algorithm.hash ? `/${algorithm.hash.name}` : ''}, not HMAC/${info.webHash} (${info.name})`,
    )
  }
  if (!key.usages.includes(usage)) {
    throw new JwtError('ERR_JWT_KEY_INVALID', `the CryptoKey's usages do not include "${usage}"`)
  }
  checkSecretLength(Math.floor((algorithm.length ?? 0) / 8), info, allowShortKeys)
}

/** Key handling for one usage: a verifier's keys must allow "verify", a signer's "sign". */
export function webKeys(usage: 'sign' | 'verify'): KeyPlatform<WebKeyInput, Promise<WebCryptoKey>> {
  return Object.freeze({
    isMaterial,
    accepted: 'a Uint8Array, a string or an HMAC CryptoKey',
    prepare(material: WebKeyInput, info: AlgorithmInfo, allowShortKeys: boolean): Promise<WebCryptoKey> {
      if (typeof material !== 'string' && !(material instanceof Uint8Array)) {
        checkCryptoKey(material, info, allowShortKeys, usage)
        return Promise.resolve(material)
      }
      const bytes = typeof material === 'string' ? utf8Encoder.encode(material) : material.slice()
      checkSecretBytes(bytes, info, allowShortKeys)
      const imported = webCrypto().subtle.importKey(
        'raw',
        bytes,
        { name: 'HMAC', hash: info.webHash },
        false,
        [usage],
      )
      // Created eagerly by factories; a failure surfaces on use, not as an unhandled rejection.
      imported.catch(() => {})
      return imported
    },
  })
}
