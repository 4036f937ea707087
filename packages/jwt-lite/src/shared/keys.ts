import { type AlgorithmInfo, algorithmInfo, algorithmOption, describe } from './algorithms.js'
import { JwtError } from './errors.js'
import type { VerifiedHeader } from './header.js'
import { isKeyEntry } from './key-rules.js'
import { MAX_HEADER_STRING_LENGTH, type VerifyPolicy } from './policy.js'
import type { JwtHeader } from './types.js'

/** A prepared key and the one algorithm it is bound to. */
export interface BoundKey<P> {
  readonly info: AlgorithmInfo
  readonly prepared: P
}

/** What differs between the entries: which values are key material and how they are prepared. */
export interface KeyPlatform<K, P> {
  isMaterial(value: unknown): value is K
  /** Checks the key rules and prepares the key; throws JwtError (`ERR_JWT_KEY_*`). */
  prepare(material: K, info: AlgorithmInfo, allowShortKeys: boolean): P
  /** For error messages: "a Uint8Array, a string or a secret KeyObject". */
  readonly accepted: string
}

/** Where a verifier's keys come from. */
export type KeySource<P> =
  | { readonly kind: 'single'; readonly key: BoundKey<P> }
  | { readonly kind: 'map'; readonly keys: ReadonlyMap<string, BoundKey<P>> }
  | {
      readonly kind: 'resolver'
      readonly resolve: (header: JwtHeader) => unknown
      readonly cache: ResolvedKeyCache<P>
    }

/**
 * The algorithms the configured keys are bound to: the default allowlist when `algorithms` is
 * not given. Only when every key names its algorithm; otherwise HS256, the common case.
 */
export function declaredAlgorithms(input: unknown): readonly AlgorithmInfo[] {
  const entries: unknown[] = input instanceof Map ? [...input.values()] : [input]
  const found = new Set<AlgorithmInfo>()
  for (const entry of entries) {
    const info = isKeyEntry(entry) ? algorithmInfo(entry.algorithm) : undefined
    if (info === undefined) return [algorithmInfo('HS256')!]
    found.add(info)
  }
  return [...found]
}

function bind<K, P>(
  value: unknown,
  policy: VerifyPolicy,
  platform: KeyPlatform<K, P>,
  where: string,
): BoundKey<P> {
  if (isKeyEntry(value)) {
    const info = algorithmOption(value.algorithm, `${where}.algorithm`)
    if (!platform.isMaterial(value.key)) {
      throw new TypeError(`\`${where}.key\` must be ${platform.accepted}, got ${describe(value.key)}`)
    }
    if (!policy.algorithms.includes(info)) {
      throw new TypeError(`\`${where}\` is bound to ${info.name}, which \`algorithms\` does not allow`)
    }
    return Object.freeze({ info, prepared: platform.prepare(value.key as K, info, policy.allowShortKeys) })
  }
  if (!platform.isMaterial(value)) {
    throw new TypeError(
      `\`${where}\` must be ${platform.accepted}, a { key, algorithm } entry, a Map of kid to those, ` +
        `or a resolver function, got ${describe(value)}`,
    )
  }
  if (policy.algorithms.length !== 1) {
    throw new TypeError(
      `\`${where}\`: a key is bound to exactly one algorithm (RFC 8725 section 3.1); with several ` +
        '`algorithms`, give each key as { key, algorithm }',
    )
  }
  const info = policy.algorithms[0]!
  return Object.freeze({ info, prepared: platform.prepare(value as K, info, policy.allowShortKeys) })
}

/** Validates and prepares a verifier's key input once. */
export function keySource<K, P>(
  input: unknown,
  policy: VerifyPolicy,
  platform: KeyPlatform<K, P>,
): KeySource<P> {
  if (typeof input === 'function') {
    return Object.freeze({
      kind: 'resolver',
      resolve: input as (header: JwtHeader) => unknown,
      cache: new ResolvedKeyCache<P>(),
    })
  }
  if (input instanceof Map) {
    if (input.size === 0) throw new TypeError('`key`: the key Map is empty')
    const keys = new Map<string, BoundKey<P>>()
    for (const [kid, value] of input as Map<unknown, unknown>) {
      if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_HEADER_STRING_LENGTH) {
        throw new TypeError(
          `\`key\`: Map keys are kid values, non-empty strings of at most ${MAX_HEADER_STRING_LENGTH} characters, got ${describe(kid)}`,
        )
      }
      keys.set(kid, bind(value, policy, platform, `key.get(${JSON.stringify(kid)})`))
    }
    return Object.freeze({ kind: 'map', keys })
  }
  return Object.freeze({ kind: 'single', key: bind(input, policy, platform, 'key') })
}

/** The key for a verified header from a single key or a kid map; resolvers go through `bindResolved`. */
export function selectKey<P>(
  source: Exclude<KeySource<P>, { kind: 'resolver' }>,
  header: VerifiedHeader,
): BoundKey<P> {
  if (source.kind === 'single') return checkBinding(source.key, header)
  if (header.kid === undefined) {
    throw new JwtError('ERR_JWT_KEY_NOT_FOUND', 'the token has no "kid", and keys are selected by kid')
  }
  const key = source.keys.get(header.kid)
  if (key === undefined) throw new JwtError('ERR_JWT_KEY_NOT_FOUND', `no key has kid ${describe(header.kid)}`)
  return checkBinding(key, header)
}

function checkBinding<P>(key: BoundKey<P>, header: VerifiedHeader): BoundKey<P> {
  if (key.info !== header.info) {
    throw new JwtError(
      'ERR_JWS_ALG_MISMATCH',
      `the token says ${header.info.name}, but its key is bound to ${key.info.name}`,
    )
  }
  return key
}

// Resolvers usually return the same few objects; preparing a key (copying, checking for PEM,
// deriving HMAC pads or importing a CryptoKey) once per object keeps rotation on the fast path.
const RESOLVED_STRING_KEYS = 64

/** Prepared keys by the identity of what a resolver returned (strings by value, bounded). */
export class ResolvedKeyCache<P> {
  readonly #objects = new WeakMap<object, BoundKey<P>>()
  readonly #strings = new Map<string, BoundKey<P>>()

  get(value: object | string): BoundKey<P> | undefined {
    return typeof value === 'string' ? this.#strings.get(value) : this.#objects.get(value)
  }

  set(value: object | string, key: BoundKey<P>): void {
    if (typeof value === 'string') {
      if (this.#strings.size >= RESOLVED_STRING_KEYS) this.#strings.clear()
      this.#strings.set(value, key)
    } else {
      this.#objects.set(value, key)
    }
  }
}

/**
 * Binds what a resolver returned for `header`: undefined or null means "no such key"; a bare key
 * is bound to the only allowed algorithm; `{ key, algorithm }` to its own.
 */
export function bindResolved<K, P>(
  value: unknown,
  header: VerifiedHeader,
  source: Extract<KeySource<P>, { kind: 'resolver' }>,
  policy: VerifyPolicy,
  platform: KeyPlatform<K, P>,
): BoundKey<P> {
  if (value === undefined || value === null) {
    throw new JwtError(
      'ERR_JWT_KEY_NOT_FOUND',
      header.kid === undefined
        ? 'the key resolver found no key'
        : `the key resolver found no key for kid ${describe(header.kid)}`,
    )
  }
  if (typeof value !== 'string' && typeof value !== 'object') {
    throw new TypeError(
      `the key resolver must return ${platform.accepted}, a { key, algorithm } entry or undefined, got ${describe(value)}`,
    )
  }
  let key = source.cache.get(value)
  if (key === undefined) {
    if (isKeyEntry(value)) {
      const info = algorithmOption(value.algorithm, 'resolved key .algorithm')
      if (!platform.isMaterial(value.key)) {
        throw new TypeError(
          `the key resolver's entry .key must be ${platform.accepted}, got ${describe(value.key)}`,
        )
      }
      key = Object.freeze({ info, prepared: platform.prepare(value.key as K, info, policy.allowShortKeys) })
    } else {
      key = bind(value, policy, platform, 'resolved key')
    }
    source.cache.set(value, key)
  }
  return checkBinding(key, header)
}
