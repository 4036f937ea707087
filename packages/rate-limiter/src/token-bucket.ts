import { ceil, floor, max, OUT, type StateTable } from './kernel.js'
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
  // The clock stepped back: refill nothing rather than un-refill (elapsed 0, the bucket stays at its
  // time); times are reported from the real now, `lag` later. Both are typed non-negative by the max:
  // with `at − now` in the result, V8 boxed a number on every check. The admission depends on elapsed
  // only, a short chain of arithmetic after the state's load.
  const elapsed = max(0, now - updated)
  const lag = max(0, updated - now)
  let used = s[o]!
  if (used > 0) {
    used -= elapsed * limit
    if (used < 0) used = 0
  }
  const after = used + cost * W
  // One result object, built at the end, with the admission's numbers unless rejected (see the note in
  // kernel.ts). A cost above the burst is rejected here too: `used` is never negative.
  const capW = burst * W
  const allowed = after <= capW
  let remaining = floor((capW - after) / W)
  let resetMs = lag + ceil(after / limit)
  let retryAfterMs = 0
  if (!allowed) {
    retryAfterMs = tokenBucketRejected(used, after, lag, cost, limit, W, burst)
    remaining = OUT[0]!
    resetMs = OUT[1]!
  } else if (commit && cost > 0) {
    s[o] = after
    s[o + 1] = updated + elapsed
  }
  return new Result(allowed, burst, remaining, resetMs, retryAfterMs, 0)
}

// A rejection's numbers: returns retryAfterMs, with remaining and resetMs in OUT.
function tokenBucketRejected(
  used: number,
  after: number,
  lag: number,
  cost: number,
  limit: number,
  W: number,
  burst: number,
): number {
  const capW = burst * W
  OUT[0] = floor((capW - used) / W)
  OUT[1] = lag + ceil(used / limit)
  return cost > burst ? Number.POSITIVE_INFINITY : lag + ceil((after - capW) / limit)
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
