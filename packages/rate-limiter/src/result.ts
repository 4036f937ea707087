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
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@hotpath/rate-limiter'
 *
 * const limiter = new RateLimiter({ algorithm: 'fixed-window', limit: 2, windowMs: 60_000 })
 * limiter.limit('k') // { allowed: true, limit: 2, remaining: 1, resetMs: …, retryAfterMs: 0, delayMs: 0 }
 * limiter.limit('k') // { allowed: true, limit: 2, remaining: 0, … }
 * const r = limiter.limit('k') // { allowed: false, remaining: 0, retryAfterMs: <ms to the window's end>, … }
 * limiter.limit('k', { cost: 3 }).retryAfterMs // Infinity: 3 never fits a limit of 2
 * ```
 */
export interface RateLimitResult {
  /** Whether the request is admitted (and, for `limit()`, counted; a rejected request changes nothing). */
  readonly allowed: boolean
  /** The most the key can hold at once: `limit` (window algorithms), `burst` (token-bucket, gcra), `maxQueue + 1` (leaky-bucket). */
  readonly limit: number
  /** How many cost-1 requests would still be admitted right now (after this one, if admitted); an integer in `[0, limit]`. */
  readonly remaining: number
  /**
   * Ms until, with no further requests, the key is back to its initial state (`remaining === limit`); `0` if it
   * is. fixed-window: to the window's end; sliding-window-log: until the newest entry expires;
   * sliding-window-counter: until both counters have slid out; token-bucket, gcra: until the bucket is full;
   * leaky-bucket: until the queue has drained.
   */
  readonly resetMs: number
  /**
   * `0` when admitted; else the shortest wait in ms after which the same request (same cost) is admitted if nothing
   * else happens; `Infinity` when the cost exceeds `limit`. fixed-window: to the window's end; sliding-window-log:
   * until enough of the oldest entries expire; sliding-window-counter: until the estimate has decayed enough;
   * token-bucket, gcra: until enough tokens have refilled; leaky-bucket: until the queue has room.
   */
  readonly retryAfterMs: number
  /** leaky-bucket: how long in ms an admitted request must wait for its turn in the queue; `0` otherwise. */
  readonly delayMs: number
}

// Every result is an instance of this one class (the algorithms build it with `new Result`, no wrapper
// function: each call level counts against what V8 inlines into a caller), so all results share one
// hidden class. Its fields must be stored as tagged values from the first result on: if the first results
// fixed them as small integers, the first large or fractional value (Infinity, a big `remaining`) would
// change that representation at runtime and deprecate the shape, and results made by code compiled before
// the change would go through a slow path (measured at ~500 ns a check once several algorithms shared a
// process). Class field declarations would do it (they store `undefined` first) but cost bytecode in every
// construction; instead the fields are only declared for TypeScript and one result built with `undefined`
// everywhere, when the class is defined, fixes the representation for all later ones.
/** @internal The one class of every memory-store result; not exported from the package. */
export class Result implements RateLimitResult {
  declare readonly allowed: boolean
  declare readonly limit: number
  declare readonly remaining: number
  declare readonly resetMs: number
  declare readonly retryAfterMs: number
  declare readonly delayMs: number

  constructor(
    allowed: boolean,
    limit: number,
    remaining: number,
    resetMs: number,
    retryAfterMs: number,
    delayMs: number,
  ) {
    this.allowed = allowed
    this.limit = limit
    this.remaining = remaining
    this.resetMs = resetMs
    this.retryAfterMs = retryAfterMs
    this.delayMs = delayMs
  }

  // See above: the first result ever built holds `undefined` everywhere, so every field is tagged. A static
  // field rather than a statement, which bundlers would drop as free of side effects.
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: built for its effect on the hidden class
  static readonly #shape: Result = new Result(unset(), unset(), unset(), unset(), unset(), unset())
}

/** @internal `undefined`, typed to fit any field: for the first instance of a result class. */
export function unset(): never {
  return undefined as never
}
