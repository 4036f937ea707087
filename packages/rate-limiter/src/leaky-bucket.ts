import { tatApply, tatOf } from './gcra.js'
import type { StateTable } from './kernel.js'
import type { RateLimitPolicy } from './policy.js'
import type { RateLimitResult } from './result.js'
import type { LeakyBucketSnapshot } from './snapshot.js'

/**
 * The leaky bucket as a queue: requests leave at a constant rate, one cost unit per `windowMs / limit`
 * ms, in arrival order; an admitted request gets `delayMs`, the wait until its turn. Up to `maxQueue`
 * requests wait; past that a request is rejected and nothing is queued. The capacity is `maxQueue + 1`
 * units: the one leaving now plus those waiting. State per key, 2 doubles: the TAT (when the queue will
 * have drained), as in {@link gcra}.
 *
 * Guarantee: admitted requests start in arrival order and, between the starts of requests i and j, at
 * least `(sum of the costs from i to j−1) × windowMs / limit` ms pass, less under 1 ms of rounding (starts
 * are rounded up to whole ms); no request waits more than `maxQueue × windowMs / limit` ms (+ < 1 ms).
 */
export function leakyBucket(
  s: Float64Array,
  o: number,
  now: number,
  cost: number,
  commit: boolean,
  limit: number,
  windowMs: number,
  capacity: number,
): RateLimitResult {
  return tatApply(s, o, now, cost, commit, limit, windowMs, capacity, true)
}

export function inspectLeakyBucket(
  t: StateTable,
  _slot: number,
  o: number,
  now: number,
  policy: RateLimitPolicy,
): LeakyBucketSnapshot {
  const r = leakyBucket(t.s, o, now, 0, false, policy.limit, policy.windowMs, policy.capacity)
  const tat = tatOf(t.s, o, policy.limit)
  const T = policy.windowMs / policy.limit
  return {
    algorithm: 'leaky-bucket',
    nowMs: now,
    limit: r.limit,
    remaining: r.remaining,
    resetMs: r.resetMs,
    queued: tat > now ? (tat - now) / T : 0,
    drainsAtMs: Math.max(tat, now),
    outflowIntervalMs: T,
  }
}
