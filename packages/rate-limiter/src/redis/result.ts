import { type RateLimitResult, Result, unset } from '../result.js'

/**
 * Who answered a check made through the {@link RedisStore}:
 *
 * - `'redis'`: the algorithm's Lua script, on Redis: the shared, exact answer.
 * - `'cache'`: the local block cache: Redis said earlier that this key is blocked until some time not
 *   yet reached, so the request is rejected in-process (`retryAfterMs` counts down to that time;
 *   `remaining` is as Redis last said).
 * - `'fallback'`: Redis failed or timed out, and the `onError` policy answered (`'allow'`, `'deny'` or
 *   the in-memory insurance limiter).
 *
 * @example
 * ```ts
 * const r = await limiter.limit(key)
 * metrics.increment(`ratelimit.${r.source}.${r.allowed ? 'allowed' : 'rejected'}`)
 * ```
 */
export type ResultSource = 'redis' | 'cache' | 'fallback'

/**
 * The result of a check through the {@link RedisStore}: the package's {@link RateLimitResult}, plus
 * which source answered it.
 *
 * @example
 * ```ts
 * const r = await limiter.limit('user:42')
 * if (r.source === 'fallback') metrics.increment('ratelimit.degraded')
 * ```
 */
export interface RedisRateLimitResult extends RateLimitResult {
  /** Who answered: `'redis'`, `'cache'` or `'fallback'`. */
  readonly source: ResultSource
}

// The memory store's result class plus `source`. A subclass's instances have hidden classes of their own,
// so they need their own first instance with every field `undefined` (see Result), or a first Infinity or
// large value would change the shape of results already made and send code reading them down a slow path.
class Sourced extends Result implements RedisRateLimitResult {
  declare readonly source: ResultSource

  constructor(
    allowed: boolean,
    limit: number,
    remaining: number,
    resetMs: number,
    retryAfterMs: number,
    delayMs: number,
    source: ResultSource,
  ) {
    super(allowed, limit, remaining, resetMs, retryAfterMs, delayMs)
    this.source = source
  }

  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: built for its effect on the hidden class
  static readonly #shape: Sourced = new Sourced(unset(), unset(), unset(), unset(), unset(), unset(), unset())
}

export function sourced(
  allowed: boolean,
  limit: number,
  remaining: number,
  resetMs: number,
  retryAfterMs: number,
  delayMs: number,
  source: ResultSource,
): RedisRateLimitResult {
  return new Sourced(allowed, limit, remaining, resetMs, retryAfterMs, delayMs, source)
}
