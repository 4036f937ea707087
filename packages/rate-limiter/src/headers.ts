import type { RateLimitResult } from './result.js'
import { show } from './validate.js'

/**
 * What {@link rateLimitHeaders} needs from a policy; a limiter's `policy` has it all.
 *
 * @example
 * ```ts
 * import { rateLimitHeaders, type HeaderPolicy } from '@hotpath/rate-limiter'
 *
 * const policy: HeaderPolicy = { name: 'api', limit: 100, windowMs: 60_000 }
 * ```
 */
export interface HeaderPolicy {
  /** The policy name in the draft headers. @default "default" */
  readonly name?: string
  /** Quota units per window (`q`). */
  readonly limit: number
  /** Window length in ms (`w`, sent in whole seconds, rounded up). */
  readonly windowMs: number
}

/**
 * Which header families {@link rateLimitHeaders} emits.
 *
 * @example
 * ```ts
 * import { RateLimiter, rateLimitHeaders } from '@hotpath/rate-limiter'
 *
 * const limiter = new RateLimiter({ algorithm: 'gcra', limit: 10, windowMs: 1000 })
 * rateLimitHeaders(limiter.limit('k'), limiter.policy, { legacy: false }) // only RateLimit-Policy and RateLimit
 * ```
 */
export interface RateLimitHeadersOptions {
  /** IETF draft `RateLimit-Policy` and `RateLimit`. @default true */
  draft?: boolean
  /** `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`. @default true */
  legacy?: boolean
  /**
   * `X-RateLimit-Reset` as Unix epoch seconds (GitHub's convention) or as seconds from now.
   * @default 'epoch-seconds'
   */
  legacyReset?: 'epoch-seconds' | 'delta-seconds'
  /** Wall-clock ms used for epoch-seconds resets. @default Date.now() */
  now?: number
}

const seconds = (ms: number): number => Math.ceil(ms / 1000)

/**
 * The HTTP response headers describing a rate-limit result:
 *
 * - `RateLimit-Policy: "<name>";q=<limit>;w=<window seconds>` and `RateLimit: "<name>";r=<remaining>;t=<reset
 *   seconds>` (draft-ietf-httpapi-ratelimit-headers, structured fields);
 * - `X-RateLimit-Limit` (`result.limit`, so remaining never exceeds it), `X-RateLimit-Remaining`,
 *   `X-RateLimit-Reset` (epoch seconds by default);
 * - `Retry-After: <seconds>` when the request was rejected, rounded up (at least 1); omitted when
 *   `retryAfterMs` is `Infinity`, since no wait helps.
 *
 * Seconds are rounded up so a client that waits as told is never early.
 *
 * @example
 * ```ts
 * import { RateLimiter, rateLimitHeaders } from '@hotpath/rate-limiter'
 *
 * const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 100, windowMs: 60_000 })
 * const headers = rateLimitHeaders(limiter.limit('1.2.3.4'), limiter.policy, { legacy: false })
 * // { 'RateLimit-Policy': '"default";q=100;w=60', RateLimit: '"default";r=99;t=…' }
 * ```
 */
export function rateLimitHeaders(
  result: RateLimitResult,
  policy: HeaderPolicy,
  options: RateLimitHeadersOptions = {},
): Record<string, string> {
  if (result === null || typeof result !== 'object')
    throw new TypeError(`\`result\` must be a rate-limit result, got ${show(result)}`)
  if (policy === null || typeof policy !== 'object')
    throw new TypeError(`\`policy\` must be an object with limit and windowMs, got ${show(policy)}`)
  const headers: Record<string, string> = {}
  if (options.draft !== false) {
    const name = policy.name ?? 'default'
    headers['RateLimit-Policy'] = `"${name}";q=${policy.limit};w=${seconds(policy.windowMs)}`
    headers.RateLimit = `"${name}";r=${result.remaining};t=${seconds(result.resetMs)}`
  }
  if (options.legacy !== false) {
    headers['X-RateLimit-Limit'] = String(result.limit)
    headers['X-RateLimit-Remaining'] = String(result.remaining)
    headers['X-RateLimit-Reset'] = String(
      options.legacyReset === 'delta-seconds'
        ? seconds(result.resetMs)
        : seconds((options.now ?? Date.now()) + result.resetMs),
    )
  }
  if (!result.allowed && Number.isFinite(result.retryAfterMs))
    headers['Retry-After'] = String(Math.max(1, seconds(result.retryAfterMs)))
  return headers
}
