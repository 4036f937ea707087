import type { RateLimitResult } from './result.js'

/**
 * The stable codes of {@link RateLimitError}; `switch (err.code)` narrows on them.
 *
 * - `ERR_QUEUE_FULL`: `schedule()` found the leaky bucket's queue full; `err.result.retryAfterMs` says when
 *   the same request would fit.
 * - `ERR_COST_EXCEEDS_CAPACITY`: `schedule()` got a cost larger than the limiter can ever admit
 *   (`err.result.retryAfterMs` is `Infinity`).
 * - `ERR_STORE_IN_USE`: a store that serves a single limiter (the {@link MemoryStore}) was given to a second one.
 *
 * @example
 * ```ts
 * import type { RateLimitErrorCode } from '@hotpath/rate-limiter'
 *
 * const retryable = (code: RateLimitErrorCode): boolean => code === 'ERR_QUEUE_FULL'
 * ```
 */
export type RateLimitErrorCode = 'ERR_QUEUE_FULL' | 'ERR_COST_EXCEEDS_CAPACITY' | 'ERR_STORE_IN_USE'

/**
 * The package's domain error. Wrong arguments throw `TypeError` / `RangeError` instead.
 *
 * @example
 * ```ts
 * import { RateLimiter, RateLimitError } from '@hotpath/rate-limiter'
 *
 * const queue = new RateLimiter({ algorithm: 'leaky-bucket', limit: 10, windowMs: 1000, maxQueue: 5 })
 * try {
 *   await queue.schedule('jobs')
 * } catch (err) {
 *   if (err instanceof RateLimitError && err.code === 'ERR_QUEUE_FULL') {
 *     console.log(`queue full, retry in ${err.result?.retryAfterMs} ms`)
 *   }
 * }
 * ```
 */
export class RateLimitError extends Error {
  /** Which failure this is; stable across versions. */
  readonly code: RateLimitErrorCode
  /** The limiter's answer that caused the error, when there is one. */
  readonly result: RateLimitResult | undefined

  constructor(
    code: RateLimitErrorCode,
    message: string,
    options?: { cause?: unknown; result?: RateLimitResult },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RateLimitError'
    this.code = code
    this.result = options?.result
  }
}
