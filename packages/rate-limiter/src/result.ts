/**
 * The answer to one rate-limit check. Every algorithm fills every field; times are whole milliseconds
 * from the moment of the check when the clock returns whole milliseconds (the default clock does).
 *
 * - `allowed`: the request is admitted (and was counted, for `limit()`; `peek()` counts nothing).
 * - `limit`: the most this key can ever hold at once: the window's `limit` (fixed-window,
 *   sliding-window-log, sliding-window-counter), the bucket's `burst` (token-bucket, gcra), or
 *   `maxQueue + 1` (leaky-bucket: one leaving plus `maxQueue` waiting).
 * - `remaining`: how many cost-1 requests would still be admitted right now, after this one when it was
 *   admitted; an integer in `[0, limit]`.
 * - `resetMs`: how long until, with no further requests, the key is back to its initial state
 *   (`remaining === limit`); `0` when it already is. It is also when an idle key may be forgotten.
 * - `retryAfterMs`: `0` when allowed; otherwise the shortest wait after which the *same* request (same cost)
 *   would be admitted if nothing else happens meanwhile. `Infinity` when the cost exceeds `limit`: such a
 *   request can never be admitted.
 * - `delayMs`: `0` except for the leaky bucket, where an admitted request must wait this long before it
 *   runs (its place in the queue); `schedule()` does the waiting for you.
 */
export interface RateLimitResult {
  readonly allowed: boolean
  readonly limit: number
  readonly remaining: number
  readonly resetMs: number
  readonly retryAfterMs: number
  readonly delayMs: number
}

// One constructor so every result has the same hidden class: call sites that read results stay monomorphic.
export function result(
  allowed: boolean,
  limit: number,
  remaining: number,
  resetMs: number,
  retryAfterMs: number,
  delayMs: number,
): RateLimitResult {
  return { allowed, limit, remaining, resetMs, retryAfterMs, delayMs }
}
