import { ceil, floor, type StateTable } from './kernel.js'
import type { RateLimitPolicy } from './policy.js'
import { type RateLimitResult, Result } from './result.js'
import type { TokenBucketSnapshot } from './snapshot.js'

/**
 * Token bucket: a bucket of `burst` tokens, refilled continuously at `limit` tokens per `windowMs`; a
 * request takes `cost` tokens or is rejected. A new key's bucket is full.
 *
 * Guarantee: over any interval of length e (ms), at most `burst + limit × e / windowMs` cost units are
 * admitted; and a request is admitted whenever its tokens are there.
 *
 * State per key, 2 doubles: `[used, updatedAt]`, `used` being the missing tokens × windowMs. Refill is
 * then `limit` per ms and every quantity is an integer (0 means full, which is also a fresh key).
 */
export function tokenBucket(
  s: Float64Array,
  o: number,
  now: number,
  cost: number,
  commit: boolean,
  limit: number,
  W: number,
  burst: number,
): RateLimitResult {
  const updated = s[o + 1]!
  // The clock stepped back: refill nothing rather than un-refill; times are reported from the real now.
  // (Written as a lag added to now: with `at − now` in the result, V8 boxed a number on every check.)
  const lag = Math.max(0, updated - now)
  const at = now + lag
  let used = s[o]!
  if (used > 0) {
    used -= (at - updated) * limit
    if (used < 0) used = 0
  }
  const after = used + cost * W
  // Out of line (see the note in kernel.ts): the rejection's arithmetic is not part of an admission.
  if (cost > burst || after > burst * W) return tokenBucketRejected(used, after, lag, cost, limit, W, burst)
  if (commit && cost > 0) {
    s[o] = after
    s[o + 1] = at
  }
  return new Result(true, burst, floor((burst * W - after) / W), lag + ceil(after / limit), 0, 0)
}

function tokenBucketRejected(
  used: number,
  after: number,
  lag: number,
  cost: number,
  limit: number,
  W: number,
  burst: number,
): RateLimitResult {
  const capW = burst * W
  return new Result(
    false,
    burst,
    floor((capW - used) / W),
    lag + ceil(used / limit),
    cost > burst ? Number.POSITIVE_INFINITY : lag + ceil((after - capW) / limit),
    0,
  )
}

export function inspectTokenBucket(
  t: StateTable,
  _slot: number,
  o: number,
  now: number,
  policy: RateLimitPolicy,
): TokenBucketSnapshot {
  const { limit, windowMs: W, capacity } = policy
  const r = tokenBucket(t.s, o, now, 0, false, limit, W, capacity)
  const updated = t.s[o + 1]!
  const used = Math.max(0, t.s[o]! - Math.max(0, now - updated) * limit)
  return {
    algorithm: 'token-bucket',
    nowMs: now,
    limit: r.limit,
    remaining: r.remaining,
    resetMs: r.resetMs,
    tokens: (capacity * W - used) / W,
    capacity,
    refillPerMs: limit / W,
  }
}
