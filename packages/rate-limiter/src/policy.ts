import { nonNegativeInteger, positiveInteger, show } from './validate.js'

/** The algorithms a {@link RateLimiter} can run. */
export type AlgorithmName =
  | 'fixed-window'
  | 'sliding-window-log'
  | 'sliding-window-counter'
  | 'token-bucket'
  | 'gcra'
  | 'leaky-bucket'

/**
 * Every {@link AlgorithmName}, in the order the docs present them.
 *
 * @example
 * ```ts
 * import { ALGORITHMS, RateLimiter } from '@hotpath/rate-limiter'
 *
 * const all = ALGORITHMS.map((algorithm) => new RateLimiter({ algorithm, limit: 10, windowMs: 1000 }))
 * ```
 */
export const ALGORITHMS: readonly AlgorithmName[] = Object.freeze([
  'fixed-window',
  'sliding-window-log',
  'sliding-window-counter',
  'token-bucket',
  'gcra',
  'leaky-bucket',
] as const)

/**
 * The configuration shared by every store: what to enforce, independent of where the state lives.
 * The limiter validates the user's options into one of these and hands it to `store.bind()`.
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@hotpath/rate-limiter'
 *
 * new RateLimiter({ algorithm: 'gcra', limit: 30, windowMs: 60_000, burst: 16 }).policy
 * // { name: 'default', algorithm: 'gcra', limit: 30, windowMs: 60000, capacity: 16, maxQueue: 0 }
 * ```
 */
export interface RateLimitPolicy {
  /** The policy's name in the `RateLimit` / `RateLimit-Policy` headers. Default `"default"`. */
  readonly name: string
  /** The algorithm that enforces the limit. */
  readonly algorithm: AlgorithmName
  /** Requests (cost units) per `windowMs`: the window's quota, or the refill / outflow rate of a bucket. */
  readonly limit: number
  /** The window length, or the period over which a bucket refills `limit` units, in milliseconds. */
  readonly windowMs: number
  /**
   * The most a key can hold at once, reported as `result.limit`: `limit` for the window algorithms,
   * `burst` for token-bucket and gcra, `maxQueue + 1` for leaky-bucket.
   */
  readonly capacity: number
  /** leaky-bucket only: how many requests may wait for their turn; `0` for the other algorithms. */
  readonly maxQueue: number
}

/** The options that define a policy (the {@link RateLimiter} options minus the store's). */
export interface PolicyOptions {
  /** Which algorithm enforces the limit; see the package docs for how to choose. */
  algorithm: AlgorithmName
  /** Requests (cost units) per `windowMs`; a positive integer. */
  limit: number
  /** Window length / refill period in milliseconds; a positive integer. */
  windowMs: number
  /** token-bucket and gcra only: the bucket's capacity (most requests at once). Default `limit`. */
  burst?: number
  /** leaky-bucket only: how many requests may wait in the queue. Default `limit`. */
  maxQueue?: number
  /** The policy name used in the `RateLimit` headers; default `"default"`. */
  name?: string
}

// Keeps every intermediate integer of the algorithms (capacity × windowMs, at most twice that) exact in
// a double, so `remaining`, `retryAfterMs` and `resetMs` are exact rather than approximately right.
const MAX_PRODUCT = 2 ** 52

const BUCKETS: ReadonlySet<string> = new Set(['token-bucket', 'gcra'])

// RFC 8941 sf-string characters: printable ASCII; quotes and backslashes would need escaping.
const NAME = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/

export function resolvePolicy(options: PolicyOptions): RateLimitPolicy {
  if (options === null || typeof options !== 'object')
    throw new TypeError(`options must be an object, got ${show(options)}`)
  const algorithm = options.algorithm
  if (!(ALGORITHMS as readonly unknown[]).includes(algorithm))
    throw new TypeError(
      `\`algorithm\` must be one of ${ALGORITHMS.map((a) => `'${a}'`).join(', ')}, got ${show(algorithm)}`,
    )
  const limit = positiveInteger('limit', options.limit)
  const windowMs = positiveInteger('windowMs', options.windowMs)

  let capacity = limit
  if (options.burst !== undefined) {
    if (!BUCKETS.has(algorithm))
      throw new TypeError(`\`burst\` applies to 'token-bucket' and 'gcra' only, not '${algorithm}'`)
    capacity = positiveInteger('burst', options.burst)
  }
  let maxQueue = 0
  if (algorithm === 'leaky-bucket') {
    maxQueue = options.maxQueue === undefined ? limit : nonNegativeInteger('maxQueue', options.maxQueue)
    capacity = maxQueue + 1
  } else if (options.maxQueue !== undefined) {
    throw new TypeError(`\`maxQueue\` applies to 'leaky-bucket' only, not '${algorithm}'`)
  }
  if (capacity * windowMs > MAX_PRODUCT) {
    const what = BUCKETS.has(algorithm)
      ? '`burst`'
      : algorithm === 'leaky-bucket'
        ? '(`maxQueue` + 1)'
        : '`limit`'
    throw new RangeError(
      `${what} × \`windowMs\` must be at most 2^52 so the arithmetic stays exact, got ${capacity} × ${windowMs}`,
    )
  }

  let name = 'default'
  if (options.name !== undefined) {
    if (typeof options.name !== 'string')
      throw new TypeError(`\`name\` must be a non-empty string, got ${show(options.name)}`)
    if (!NAME.test(options.name))
      throw new RangeError(
        `\`name\` must be printable ASCII without quotes or backslashes (it goes into a header), got ${show(options.name)}`,
      )
    name = options.name
  }
  return Object.freeze({ name, algorithm, limit, windowMs, capacity, maxQueue })
}
