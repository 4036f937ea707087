import type { StateTable } from './kernel.js'
import type { RateLimitPolicy } from './policy.js'
import { type RateLimitResult, result } from './result.js'
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
  const at = Math.max(now, updated)
  const lag = at - now
  let used = s[o]!
  if (used > 0) {
    used -= (at - updated) * limit
    if (used < 0) used = 0
  }
  const capW = burst * W
  if (cost > burst)
    return result(false, burst, Math.floor((capW - used) / W), lag + Math.ceil(used / limit), Infinity, 0)
  const after = used + cost * W
  if (after <= capW) {
    if (commit && cost > 0) {
      s[o] = after
      s[o + 1] = at
    }
    return result(true, burst, Math.floor((capW - after) / W), lag + Math.ceil(after / limit), 0, 0)
  }
  return result(
    false,
    burst,
    Math.floor((capW - used) / W),
    lag + Math.ceil(used / limit),
    lag + Math.ceil((after - capW) / limit),
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
